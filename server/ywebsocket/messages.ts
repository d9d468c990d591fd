import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The y-websocket wire (y-websocket 3.x, src/y-websocket.js): ONE y-protocols message per frame,
 * an outer varUint type and its body. Written here with lib0's encoders because the rooms already
 * hold the inner sync messages and awareness updates as bytes: a frame is the type byte in front.
 */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

/** Close codes (SCALEOUT §4.4): 4400–4499 stop a 3.1.0 client; 1012/1013 make it come back. */
export const CLOSE = {
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  tooLarge: 4413,
  locked: 4423,
  rateLimited: 4429,
  restarting: 1012,
  tryAgainLater: 1013,
} as const

/** A sync message (step 1, step 2 or update, as the room encodes it) as a y-websocket frame. */
export function syncFrame(syncMessage: Uint8Array): Uint8Array {
  const out = new Uint8Array(syncMessage.byteLength + 1)
  out[0] = MESSAGE_SYNC
  out.set(syncMessage, 1)
  return out
}

/** An awareness update as a y-websocket frame. */
export function awarenessFrame(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(enc, update)
  return encoding.toUint8Array(enc)
}

/** y-protocols auth "permission denied" with a reason: the client logs it and carries on. */
export function permissionDeniedFrame(reason: string): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, MESSAGE_AUTH)
  encoding.writeVarUint(enc, 0)
  encoding.writeVarString(enc, reason)
  return encoding.toUint8Array(enc)
}

/** An awareness update of no clients (3 bytes): data that keeps the client's 30 s watchdog quiet. */
export const KEEP_ALIVE = Uint8Array.from([MESSAGE_AWARENESS, 1, 0])

/** What one frame carries; null when it cannot be read. */
export type Frame =
  | { type: typeof MESSAGE_SYNC; syncType: number; payload: Uint8Array }
  | { type: typeof MESSAGE_AWARENESS; update: Uint8Array }
  | { type: typeof MESSAGE_AUTH | typeof MESSAGE_QUERY_AWARENESS }

export function readFrame(bytes: Uint8Array): Frame | null {
  try {
    const dec = decoding.createDecoder(bytes)
    const type = decoding.readVarUint(dec)
    if (type === MESSAGE_SYNC) {
      const syncType = decoding.readVarUint(dec)
      const payload = decoding.readVarUint8Array(dec)
      return { type, syncType, payload }
    }
    if (type === MESSAGE_AWARENESS) return { type, update: decoding.readVarUint8Array(dec) }
    if (type === MESSAGE_AUTH || type === MESSAGE_QUERY_AWARENESS) return { type }
    return null
  } catch {
    return null
  }
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The state as JSON text, exactly as sent ("null" = that client left). */
  json: string
}

/** The entries of an awareness update; null when malformed (the JSON itself is checked later). */
export function readAwareness(update: Uint8Array): AwarenessEntry[] | null {
  try {
    const dec = decoding.createDecoder(update)
    const n = decoding.readVarUint(dec)
    if (n > 1000) return null
    const entries: AwarenessEntry[] = []
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(dec)
      const clock = decoding.readVarUint(dec)
      entries.push({ clientId, clock, json: decoding.readVarString(dec) })
    }
    return entries
  } catch {
    return null
  }
}

export function writeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, entries.length)
  for (const e of entries) {
    encoding.writeVarUint(enc, e.clientId)
    encoding.writeVarUint(enc, e.clock)
    encoding.writeVarString(enc, e.json)
  }
  return encoding.toUint8Array(enc)
}
