import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider as Provider310 } from 'y-websocket'
import { WebsocketProvider as Provider300 } from 'y-websocket-3-0-0'
import * as Y from 'yjs'

/**
 * The unmodified y-websocket WebsocketProvider (3.1.0 or 3.0.0) in Node over `ws`, against the
 * board's `/yjs/<reviewId>` door, with what a test needs to watch: every permission-denied
 * reason, every close code, how many connections it opened.
 */
export type YwsVersion = '3.1.0' | '3.0.0'

export interface YwsClient {
  doc: Y.Doc
  provider: Provider310
  denied: string[]
  closes: number[]
  /** When each close came (performance.now()). */
  closedAt: number[]
  /** Connections opened (the first one included). */
  opens: number
  /** When each connection opened (performance.now()), for reconnect rates. */
  openedAt: number[]
  /** `closed` events (3.1.0: a permanent close code stopped it). */
  stopped: number
  synced: () => boolean
  destroy: () => void
}

/** Connections opened within `ms` after the first close (a refusal): the reconnect count. */
export function reconnectsWithin(client: YwsClient, ms: number): number {
  const from = client.closedAt[0]
  if (from === undefined) return 0
  return client.openedAt.filter((t) => t > from && t <= from + ms).length
}

/** The shortest time between two connections of a client (Infinity with fewer than two). */
export function shortestGapMs(client: YwsClient): number {
  const gaps = client.openedAt.slice(1).map((t, i) => t - client.openedAt[i]!)
  return Math.min(...gaps)
}

export const doorUrl = (serverUrl: string): string => `${serverUrl.replace(/^http/, 'ws')}/yjs`

/** A `ws` WebSocket that sends an Origin header, as a browser would. */
export function webSocketWithOrigin(origin: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { origin })
    }
  } as unknown as typeof WebSocket
}

export function ywsClient(
  serverUrl: string,
  reviewId: string,
  token: string | undefined,
  opts: { version?: YwsVersion; doc?: Y.Doc; WebSocketPolyfill?: typeof WebSocket } = {},
): YwsClient {
  const doc = opts.doc ?? new Y.Doc()
  const Ctor = (opts.version === '3.0.0' ? Provider300 : Provider310) as typeof Provider310
  const provider = new Ctor(doorUrl(serverUrl), reviewId, doc, {
    params: token === undefined ? {} : { token },
    WebSocketPolyfill: (opts.WebSocketPolyfill ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    // Several providers of one room live in this process: without this they would sync with
    // each other over a BroadcastChannel, around the server.
    disableBc: true,
  })
  const client: YwsClient = {
    doc,
    provider,
    denied: [],
    closes: [],
    closedAt: [],
    opens: 0,
    openedAt: [],
    stopped: 0,
    synced: () => provider.synced,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
  // An app may override the permission-denied handler (the default only logs).
  provider.messageHandlers[2] = (_encoder, decoder) => {
    decoding.readVarUint(decoder)
    client.denied.push(decoding.readVarString(decoder))
  }
  provider.on('status', ({ status }) => {
    if (status !== 'connected') return
    client.opens++
    client.openedAt.push(performance.now())
  })
  provider.on('connection-close', (event) => {
    if (!event) return
    client.closes.push(event.code)
    client.closedAt.push(performance.now())
  })
  provider.on('closed', () => client.stopped++)
  return client
}
