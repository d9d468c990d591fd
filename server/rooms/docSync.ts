import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { canEditDocument } from '../../shared/domain/permissions'
import { err, type Result } from '../../shared/domain/result'
import type { Ack } from '../../shared/protocol/events'
import type { WireError } from '../../shared/protocol/errors'
import type { AppSocket } from '../socket/types'
import { fitsDocLimit } from './docLimit'
import { syncMessageOf } from './outbox'
import type { Room } from './room'

/**
 * `yjs:sync` (DESIGN §4). Payloads are bare y-protocols sync messages: step 1 (0, a state
 * vector), step 2 (1) and update (2), both carrying a Yjs update. The handshake: the client
 * sends step 1; the server answers step 2 and then its own step 1, which the client answers
 * with step 2. Every message is acknowledged; an update only once it is saved.
 *
 * A change is checked before it is applied, never after: a CRDT cannot take an update back.
 * A refused sender is then sent the full server state so it can rebuild without the change.
 */
const STEP1 = 0
const STEP2 = 1
const UPDATE = 2 // also written by updateMessage in outbox.ts

const fail = (code: WireError['code'], message: string): Ack => ({ ok: false, error: { code, message } })

/** Binary arrives as Buffer (Node), ArrayBuffer (browser) or Uint8Array: one shape from here on. */
export function toBytes(raw: unknown): Uint8Array | null {
  if (raw instanceof Uint8Array) return raw
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw)
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
  return null
}

/** The server's step 1 and a step 2 holding everything (state against an empty vector). */
export const fullState = (room: Room): Uint8Array => room.fullMessage()
/** The document's whole state as one Yjs update: a view into the cached step 2, not encoded again. */
export function fullUpdate(room: Room): Uint8Array {
  const dec = decoding.createDecoder(room.fullMessage())
  decoding.readVarUint(dec)
  return decoding.readVarUint8Array(dec)
}
export const serverStep1 = (room: Room): Uint8Array => syncMessageOf(STEP1, Y.encodeStateVector(room.doc))

function readMessage(bytes: Uint8Array): { type: number; payload: Uint8Array } | null {
  try {
    const dec = decoding.createDecoder(bytes)
    const type = decoding.readVarUint(dec)
    const payload = decoding.readVarUint8Array(dec)
    return { type, payload }
  } catch {
    return null
  }
}

/**
 * Handles one client sync message and answers through `reply`. A refused change is answered
 * first, then the sender gets the full server state: a client that saw the refusal rebuilds
 * its document from the state that follows it.
 */
export async function handleSync(
  room: Room,
  socket: AppSocket,
  raw: unknown,
  reply: (ack: Ack) => void,
): Promise<void> {
  const ack = await answerSync(room, socket, raw)
  reply(ack)
  if (
    !ack.ok &&
    (ack.error.code === 'FORBIDDEN' || ack.error.code === 'PHASE_LOCKED' || ack.error.code === 'UNAUTHORIZED')
  )
    socket.emit('yjs:sync', fullState(room))
}

async function answerSync(room: Room, socket: AppSocket, raw: unknown): Promise<Ack> {
  const bytes = toBytes(raw)
  if (!bytes) return fail('INVALID', 'A yjs:sync message must be binary.')
  const msg = readMessage(bytes)
  if (!msg) return fail('INVALID', 'The sync message could not be read.')

  if (msg.type === STEP1) {
    let step2: Uint8Array
    try {
      // A fresh joiner (empty state vector) gets the cached full state: a storm of joiners costs one encode.
      const empty = msg.payload.byteLength === 1 && msg.payload[0] === 0
      step2 = empty ? fullState(room) : syncMessageOf(STEP2, Y.encodeStateAsUpdate(room.doc, msg.payload))
    } catch {
      return fail('INVALID', 'The state vector could not be read.')
    }
    socket.emit('yjs:sync', step2)
    socket.emit('yjs:sync', serverStep1(room))
    return { ok: true }
  }
  if (msg.type !== STEP2 && msg.type !== UPDATE)
    return fail('INVALID', `Unknown sync message type ${msg.type}.`)
  if (msg.payload.byteLength > room.deps.config.limits.updateBytes)
    return fail('TOO_LARGE', 'This change is too large to save; split it into smaller edits.')
  return receiveUpdate(room, socket, msg.payload)
}

async function receiveUpdate(room: Room, socket: AppSocket, update: Uint8Array): Promise<Ack> {
  let decoded: Decoded
  try {
    decoded = Y.decodeUpdate(update) // reads every struct: malformed bytes fail here, before anything is applied
  } catch {
    return fail('INVALID', 'The document update could not be read.')
  }
  const empty = decoded.structs.length === 0 && decoded.ds.clients.size === 0
  const allowed = (): Result<true> => {
    const participant = room.state.participants[socket.data.participantId]
    return participant
      ? canEditDocument(room.state, participant)
      : err('UNAUTHORIZED', 'You are not a participant of this review.')
  }
  const permission = allowed()
  if (!permission.ok) {
    // An update that changes nothing is fine from anyone (e.g. a reader's step 2).
    if (empty || containsUpdate(room.doc, decoded)) return { ok: true }
    return { ok: false, error: permission.error }
  }
  // Carries nothing: ok once what is in flight is committed (a step 2 after a reconnect stands
  // for the writes sent before it), without touching the document.
  if (empty) return committedSoFar(room)
  if (!fitsDocLimit(room, update))
    return fail('TOO_LARGE', 'The document has reached its size limit; remove something before adding more.')
  const { result, saved } = await room.applyQueued(update, socket, allowed)
  if (typeof result === 'object') return { ok: false, error: result }
  // Whatever unreadable bytes changed before they failed is in the document now, and saved and
  // sent with the batch, or the stored document and the others would differ from the room's.
  if (result === 'unreadable') {
    await saved
    return fail('INVALID', 'The document update could not be applied.')
  }
  // Nothing new, but what it carries may still be in flight or have failed to save (a retry after
  // UNAVAILABLE, a resend after a reconnect): ok only once that is committed, or the ack would lie.
  if (!saved) return committedSoFar(room)
  return (await saved) ? { ok: true } : NOT_SAVED
}

const NOT_SAVED = fail('UNAVAILABLE', 'The change was not saved; it is kept and saved with the next one.')
const committedSoFar = async (room: Room): Promise<Ack> =>
  (await room.committedSoFar()) ? { ok: true } : NOT_SAVED

export type Decoded = ReturnType<typeof Y.decodeUpdate>

/**
 * Whether the document already holds everything a decoded update carries: every struct's clock
 * range is in the state vector and every deleted range is deleted here too. Cost follows the
 * update, not the document (`Y.snapshot` builds the delete set of the whole document).
 */
export function containsUpdate(doc: Y.Doc, decoded: Decoded): boolean {
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) continue
    if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) return false
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (len === 0) continue
      if (!structs || clock + len > Y.getState(doc.store, client)) return false
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const st = structs[i]!
        if (st.id.clock >= clock + len) break
        if (!st.deleted) return false
      }
    }
  }
  return true
}
