import type http from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { originAllowed } from '../socket/origin'
import { KEEP_ALIVE } from './messages'
import { YjsSession, type SessionDeps, type SessionRequest } from './session'

/**
 * The second door: `GET /yjs/<reviewId>?token=<token>` upgraded to a plain WebSocket speaking the
 * y-websocket 3.x wire, for Yjs tools (WebsocketProvider, bots, importers). Our own transport,
 * not @y/websocket-server's setupWSConnection: that one keeps a second Y.Doc, relays before
 * saving and has no roles. Sessions join the review's room like Socket.IO sockets
 * (server/ywebsocket/session.ts); this file only handles HTTP upgrades, keep-alive and shutdown.
 */
export interface YjsDoor {
  readonly sessions: ReadonlySet<YjsSession>
  /** Closes every session with 1012 (service restart): clients come back to the next process. */
  close(): void
}

const PATH = /^\/yjs\/([A-Za-z0-9_-]{1,64})$/
/** The client's watchdog closes after 30 s without data: a quiet connection gets data within 12.5 s. */
const KEEP_ALIVE_MS = 10_000
const SWEEP_MS = 2_500
/** A connection that answered no ping for this long is gone (half-open TCP). */
const PING_EVERY_SWEEPS = 12

/** The URL without its token, for anything that may log the request later. */
const scrub = (url: string): string => url.replace(/([?&]token=)[^&#]*/g, '$1redacted')

/** Several processes (server/cluster/remote.ts): connections whose review another process owns. */
export interface DoorRelay {
  /** The owning process to relay to, or null to serve here. */
  ownerFor(request: SessionRequest): Promise<string | null>
  relayYjs(ws: WebSocket, request: SessionRequest, owner: string): void
}

export function mountYjsDoor(
  httpServer: http.Server,
  deps: SessionDeps & { publicUrl: () => string; relay?: () => DoorRelay | undefined },
): YjsDoor {
  const sessions = new Set<YjsSession>()
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: deps.config.limits.frameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  })
  let closing = false

  /** Upgrades; a connection whose review another process owns is relayed there instead. */
  const upgrade = (
    request: SessionRequest,
    ...[req, socket, head, serve]: Parameters<typeof wss.handleUpgrade>
  ): void => {
    const relay = deps.relay?.()
    if (!relay) return wss.handleUpgrade(req, socket, head, serve)
    // The socket stays paused while the owner is looked up: no frame is lost meanwhile.
    void relay
      .ownerFor(request)
      .then((owner) =>
        wss.handleUpgrade(req, socket, head, owner ? (ws) => relay.relayYjs(ws, request, owner) : serve),
      )
  }

  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const raw = req.url ?? '/'
    if (raw.startsWith('/socket.io/')) return // engine.io's own listener takes it
    if (!raw.startsWith('/yjs/') || closing) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    // The token leaves the URL before anything else sees the request.
    req.url = scrub(raw)
    let url: URL
    try {
      url = new URL(raw, 'http://door')
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      return
    }
    const request = {
      reviewId: PATH.exec(url.pathname)?.[1] ?? null,
      token: url.searchParams.get('token'),
      address: req.socket.remoteAddress ?? 'unknown',
      originAllowed: originAllowed(req.headers.origin, deps.publicUrl()),
    }
    socket.on('error', () => undefined)
    // Every refusal is sent over an accepted socket: a rejected upgrade reaches browsers as an
    // opaque 1006 and y-websocket retries it forever (SCALEOUT §4.1).
    upgrade(request, req, socket, head, (ws) => {
      // req.url is the scrubbed one: the token never reaches a log line.
      deps.logger.debug(
        { url: req.url, address: request.address, origin: req.headers.origin },
        'y-websocket open',
      )
      let alive = true
      let sweeps = 0
      const session = new YjsSession(
        deps,
        {
          send: (frame) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(frame)
          },
          close: (code, reason) => {
            if (ws.readyState === WebSocket.OPEN) ws.close(code, reason)
            else if (ws.readyState === WebSocket.CONNECTING) ws.terminate()
          },
        },
        request,
      )
      sessions.add(session)
      const tick = () => {
        if (deps.clock() - session.lastSent >= KEEP_ALIVE_MS) session.send(KEEP_ALIVE)
        if (++sweeps % PING_EVERY_SWEEPS !== 0) return
        if (!alive) return ws.terminate()
        alive = false
        ws.ping()
      }
      ticks.set(session, tick)
      ws.on('pong', () => (alive = true))
      ws.on('message', (data, isBinary) => {
        alive = true
        if (!isBinary) return // y-websocket sends binary only; text is not a message
        const bytes = Array.isArray(data)
          ? Buffer.concat(data)
          : data instanceof ArrayBuffer
            ? new Uint8Array(data)
            : data
        session.receive(bytes)
      })
      ws.on('error', (e) => {
        // ws has already closed it 1009 (transient): make sure the client's next try is told 4413.
        if ((e as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') session.frameTooLarge()
        else deps.logger.debug({ err: e.message, review: request.reviewId }, 'y-websocket error')
      })
      ws.on('close', (code) => {
        deps.logger.debug(
          { review: request.reviewId, participant: session.participantId || undefined, code },
          'y-websocket closed',
        )
        sessions.delete(session)
        ticks.delete(session)
        session.closed()
      })
      void session.start()
    })
  })

  const ticks = new Map<YjsSession, () => void>()
  const sweep = setInterval(() => {
    for (const tick of ticks.values()) tick()
  }, SWEEP_MS)
  sweep.unref()

  return {
    sessions,
    close() {
      closing = true
      clearInterval(sweep)
      for (const session of [...sessions]) session.shutdown(1012, 'The server is restarting.')
      wss.close()
    },
  }
}
