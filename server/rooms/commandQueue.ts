import type { Command } from '../../shared/protocol/commands'
import type { CommandReply } from './commands'

/** A parsed command waiting for its turn in its room. */
export interface QueuedCommand {
  participantId: string
  cmd: Command
  reply: (ack: CommandReply) => void
}

/**
 * The commands of one room waiting to be decided, one queue per participant, taken round-robin
 * (H3): one person's burst fills their own queue only, and everybody else's next command goes
 * into the very next batch. Each person's commands keep the order they were sent in.
 */
export class CommandQueue {
  private readonly byPerson = new Map<string, QueuedCommand[]>()
  /** Commands put back by the last batch: taken first, in order. */
  private front: QueuedCommand[] = []
  size = 0
  /** A batch is already waiting on the room's chain. */
  scheduled = false

  push(item: QueuedCommand): void {
    const queue = this.byPerson.get(item.participantId)
    if (queue) queue.push(item)
    else this.byPerson.set(item.participantId, [item])
    this.size++
  }

  /**
   * Puts taken commands back, in their order, ahead of everything else: the next batch starts
   * with them (a command that must run in a batch of its own is never overtaken again).
   */
  putBack(items: readonly QueuedCommand[]): void {
    this.front.unshift(...items)
    this.size += items.length
  }

  /**
   * Up to `max` commands, one per person in turn. The person served last moves to the back, so
   * the next batch starts with someone else.
   */
  take(max: number): QueuedCommand[] {
    const out = this.front.splice(0, max)
    this.size -= out.length
    while (out.length < max) {
      // The first person in Map order is next; served, they go to the back (re-inserted).
      const first = this.byPerson.entries().next()
      if (first.done) break
      const [pid, queue] = first.value
      this.byPerson.delete(pid)
      const item = queue.shift()
      if (item) {
        out.push(item)
        this.size--
      }
      if (queue.length > 0) this.byPerson.set(pid, queue)
    }
    return out
  }
}
