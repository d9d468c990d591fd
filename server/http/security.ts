import helmet from 'helmet'
import type { RequestHandler } from 'express'

/**
 * helmet on every route. The page loads nothing inline and talks to its own origin only, over
 * HTTP and WebSocket. `upgrade-insecure-requests` is off: over plain HTTP on a LAN host it would
 * break the page (TOOLCHAIN.md). No referrer leaves the app, so invite codes in URLs stay put.
 */
export function securityHeaders(publicUrl: () => string): RequestHandler {
  const wsOrigin = () => {
    const url = new URL(publicUrl())
    return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`
  }
  return helmet({
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: null,
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", () => wsOrigin()],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  })
}
