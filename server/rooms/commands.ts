import { decide } from '../../shared/domain/decide'
import type { StoredEvent } from '../../shared/domain/events'
import { evolve } from '../../shared/domain/evolve'
import { parseCommand } from '../../shared/protocol/commands'
import { readOutline } from '../../shared/doc/outline'
import type { WireError } from '../../shared/protocol/errors'
import type { QueuedCommand } from './commandQueue'
import { prepareEffects, type Effects } from './effects'
import type { CommandAck, Room } from './room'

export type CommandReply = CommandAck | { ok: false; error: WireError }

const refused = (error: WireError): CommandReply => ({ ok: false, error })
const NOT_SAVED: WireError = { code: 'UNAVAILABLE', message: 'The change was not saved; please try again.' }
const GONE: WireError = { code: 'UNAUTHORIZED', message: 'You are no longer in this review.' }
const UNLOADED: WireError = {
  code: 'UNAVAILABLE',
  message: 'The review was unloaded; reconnect and send it again.',
}

/**
 * Commands decided per batch at most: bounds the time one batch holds the event loop, and how
 * long a command that arrives meanwhile waits for the next one (H3).
 */
export const MAX_BATCH = 64

/**
 * `command` (CONVENTIONS §4): parse → queue → decide (pure, shared) → save the events → fold
 * them → ack → publish per recipient. The room decides its queued commands in batches (group
 * commit, H3): each batch is decided in order against the state the earlier ones leave, its
 * events go to the store in ONE write, and each command is acked only after that write
 * committed. Batches are taken round-robin per participant (server/rooms/commandQueue.ts), so a
 * command never waits behind more than one batch of someone else's burst. The log's order is
 * the decision order, one order per room. A retry with the same commandId gets the same ack and
 * changes nothing.
 */
export function runCommand(
  room: Room,
  participantId: string,
  raw: unknown,
  reply: (ack: CommandReply) => void,
): Promise<void> {
  const parsed = parseCommand(raw)
  if (!parsed.ok) {
    reply(refused(parsed.error))
    return Promise.resolve()
  }
  return new Promise<void>((done) => {
    let answered = false
    room.commands.push({
      participantId,
      cmd: parsed.value,
      reply: (ack) => {
        if (answered) return
        answered = true
        reply(ack)
        done()
      },
    })
    scheduleBatch(room)
  })
}

/** One batch on the room's chain (after any join or command before it), unless one is waiting. */
function scheduleBatch(room: Room): void {
  if (room.commands.scheduled) return
  room.commands.scheduled = true
  void room.serial(() => runBatch(room))
}

/** What became of one command of a batch, answered once the batch's write settled. */
interface Outcome {
  item: QueuedCommand
  key: string
  /** Accepted: its ack; or the same command earlier in this batch. */
  ack?: CommandAck
  twin?: Outcome
  /** Answered as decided (a refusal, or the ack of an earlier commit). */
  answer?: CommandReply
}

const hasEffects = (fx: Effects): boolean =>
  Object.keys(fx.write).length > 0 || fx.after.length > 0 || fx.ack.invite !== undefined

async function runBatch(room: Room): Promise<void> {
  const queue = room.commands
  queue.scheduled = false // commands arriving from now on go into the next batch
  const batch = queue.take(MAX_BATCH)
  try {
    if (room.destroyed) {
      for (const item of batch) item.reply(refused(UNLOADED))
      return
    }
    await decideAndSave(room, batch)
  } catch (e) {
    room.deps.logger.error({ err: e, review: room.id }, 'command batch failed')
    for (const item of batch)
      item.reply(refused({ code: 'UNAVAILABLE', message: 'The server could not handle this command.' }))
  } finally {
    if (queue.size > 0) scheduleBatch(room)
  }
}

async function decideAndSave(room: Room, batch: QueuedCommand[]): Promise<void> {
  const { deps } = room
  const now = deps.clock()
  let state = room.state
  const outcomes: Outcome[] = []
  const accepted = new Map<string, Outcome>()
  const events: StoredEvent[] = []
  let fx: Effects | null = null

  for (let i = 0; i < batch.length; i++) {
    const item = batch[i]!
    const { cmd, participantId } = item
    const key = `${participantId}:${cmd.commandId}`
    const earlier = room.acks.get(key)
    if (earlier) {
      outcomes.push({ item, key, answer: earlier })
      continue
    }
    const twin = accepted.get(key)
    if (twin) {
      outcomes.push({ item, key, twin })
      continue
    }
    const actor = state.participants[participantId]
    if (!actor || actor.removed) {
      outcomes.push({ item, key, answer: refused(GONE) })
      continue
    }
    // Both close a round (revision → reading; go / no-go), whose statistics count open risks [RN1].
    const closesRound = cmd.type === 'phase.advance' || cmd.type === 'decision.record'
    const openRisks = closesRound ? safeOpenRisks(room) : undefined
    const decision = decide(state, cmd, actor, { now, newId: deps.ids, openRisks })
    if (!decision.ok) {
      outcomes.push({ item, key, answer: refused(decision.error) })
      continue
    }
    const mine: StoredEvent[] = decision.value.events.map((e, j) => ({
      ...e,
      seq: state.seq + 1 + j,
      at: now,
      actorId: participantId,
      commandId: cmd.commandId,
    }))
    // Effects (tokens, invites, round snapshots, FAQ entries) are prepared against the state
    // decided so far and the document as it is: a command with any ends its batch, so a batch
    // holds at most one and nothing after it depends on effects not applied yet.
    const effects = mine.length > 0 ? prepareEffects(room, mine, state) : null
    if (effects && hasEffects(effects)) fx = effects
    state = mine.reduce(evolve, state)
    events.push(...mine)
    const ack: CommandAck = { ok: true, seq: state.seq }
    if (decision.value.cardId) ack.cardId = decision.value.cardId
    if (fx?.ack.invite) ack.invite = fx.ack.invite
    const outcome: Outcome = { item, key, ack }
    accepted.set(key, outcome)
    outcomes.push(outcome)
    if (fx) {
      room.commands.putBack(batch.slice(i + 1))
      break
    }
  }

  if (events.length > 0) {
    try {
      await room.track(deps.store.write(room.id, { ...fx?.write, events }))
    } catch (e) {
      deps.logger.error({ err: e, review: room.id }, 'saving events failed')
      for (const o of outcomes) o.item.reply(o.answer ?? refused(NOT_SAVED))
      return
    }
  }
  // Committed: acks in decision order, then the batch's events folded and published at once.
  for (const o of outcomes) {
    if (o.ack) room.acks.set(o.key, o.ack)
    o.item.reply(o.ack ?? o.answer ?? o.twin!.ack!)
  }
  room.applyEvents(events)
  for (const effect of fx?.after ?? [])
    void Promise.resolve()
      .then(effect)
      .catch((e) => deps.logger.error({ err: e, review: room.id }, 'effect failed'))
}

function safeOpenRisks(room: Room): number | undefined {
  try {
    return readOutline(room.doc).tbds.length
  } catch {
    return undefined
  }
}
