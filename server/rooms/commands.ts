import { decide } from '../../shared/domain/decide'
import type { StoredEvent } from '../../shared/domain/events'
import { parseCommand } from '../../shared/protocol/commands'
import { readOutline } from '../../shared/doc/outline'
import type { WireError } from '../../shared/protocol/errors'
import { prepareEffects } from './effects'
import type { CommandAck, Room } from './room'

export type CommandReply = CommandAck | { ok: false; error: WireError }

const refused = (error: WireError): CommandReply => ({ ok: false, error })

/**
 * `command` (CONVENTIONS §4): parse → decide (pure, shared) → save the events → fold them →
 * ack → publish per recipient, all inside the room's queue so the next command sees this one.
 * A retry with the same commandId gets the same ack and changes nothing.
 */
export async function runCommand(
  room: Room,
  participantId: string,
  raw: unknown,
  reply: (ack: CommandReply) => void,
): Promise<void> {
  const parsed = parseCommand(raw)
  if (!parsed.ok) return reply(refused(parsed.error))
  const cmd = parsed.value
  const key = `${participantId}:${cmd.commandId}`

  await room.serial(async () => {
    const earlier = room.acks.get(key)
    if (earlier) return reply(earlier)
    const actor = room.state.participants[participantId]
    if (!actor || actor.removed)
      return reply(refused({ code: 'UNAUTHORIZED', message: 'You are no longer in this review.' }))

    const { deps } = room
    const now = deps.clock()
    // Both close a round (revision → reading; go / no-go), whose statistics count open risks [RN1].
    const closesRound = cmd.type === 'phase.advance' || cmd.type === 'decision.record'
    const openRisks = closesRound ? safeOpenRisks(room) : undefined
    const decision = decide(room.state, cmd, actor, { now, newId: deps.ids, openRisks })
    if (!decision.ok) return reply(refused(decision.error))

    const events: StoredEvent[] = decision.value.events.map((e, i) => ({
      ...e,
      seq: room.state.seq + 1 + i,
      at: now,
      actorId: participantId,
      commandId: cmd.commandId,
    }))
    const fx = prepareEffects(room, events)
    if (events.length > 0) {
      try {
        await room.track(deps.store.write(room.id, { ...fx.write, events }))
      } catch (e) {
        deps.logger.error({ err: e, review: room.id }, 'saving events failed')
        return reply(refused({ code: 'UNAVAILABLE', message: 'The change was not saved; please try again.' }))
      }
    }
    const ack: CommandAck = { ok: true, seq: events.at(-1)?.seq ?? room.state.seq }
    if (decision.value.cardId) ack.cardId = decision.value.cardId
    if (fx.ack.invite) ack.invite = fx.ack.invite
    room.acks.set(key, ack)
    reply(ack)
    room.applyEvents(events)
    for (const effect of fx.after)
      void Promise.resolve()
        .then(effect)
        .catch((e) => deps.logger.error({ err: e, review: room.id }, 'effect failed'))
  })
}

function safeOpenRisks(room: Room): number | undefined {
  try {
    return readOutline(room.doc).tbds.length
  } catch {
    return undefined
  }
}
