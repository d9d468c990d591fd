import WebSocket from 'ws'
import { doorUrl } from './ywsClient'

/**
 * A bare WebSocket on the y-websocket door that records every frame the server sends and how the
 * connection ended: for refusals, fuzzing and anything a provider would hide.
 */
export interface RawDoor {
  ws: WebSocket
  frames: Uint8Array[]
  opened: Promise<void>
  /** The close code and reason, and how long after the open it came. */
  closed: Promise<{ code: number; reason: string; afterMs: number }>
  send: (bytes: Uint8Array) => void
}

export function rawDoor(serverUrl: string, path: string, opts: { origin?: string } = {}): RawDoor {
  const ws = new WebSocket(`${doorUrl(serverUrl)}/${path}`, opts.origin ? { origin: opts.origin } : {})
  ws.binaryType = 'nodebuffer'
  const frames: Uint8Array[] = []
  let openedAt = 0
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      openedAt = performance.now()
      resolve()
    })
    ws.once('error', reject)
  })
  const closed = new Promise<{ code: number; reason: string; afterMs: number }>((resolve) =>
    ws.once('close', (code, reason) =>
      resolve({ code, reason: reason.toString(), afterMs: performance.now() - openedAt }),
    ),
  )
  return { ws, frames, opened, closed, send: (bytes) => ws.send(bytes) }
}

/** The reason of a y-protocols permission-denied frame, or null for any other frame. */
export function deniedReason(frame: Uint8Array): string | null {
  if (frame[0] !== 2 || frame[1] !== 0) return null
  // varString: a varUint length then UTF-8.
  let len = 0
  let shift = 0
  let i = 2
  for (;;) {
    const b = frame[i++]!
    len += (b & 0x7f) * 2 ** shift
    shift += 7
    if (b < 0x80) break
  }
  return Buffer.from(frame.subarray(i, i + len)).toString('utf8')
}
