const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Whether a browser socket's Origin is the configured public origin (W1, S5). Loopback names
 * are interchangeable only when the public URL itself is on loopback (same scheme and port).
 * No Origin header (a script, a bot) is judged by its token alone (DESIGN §4).
 */
export function originAllowed(origin: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true
  let got: URL
  let want: URL
  try {
    got = new URL(origin)
    want = new URL(publicUrl)
  } catch {
    return false
  }
  if (got.origin === want.origin) return true
  return (
    LOOPBACK.has(want.hostname) &&
    LOOPBACK.has(got.hostname) &&
    got.protocol === want.protocol &&
    got.port === want.port
  )
}
