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
  size = 0
  /** A batch is already waiting on the room's chain. */
  scheduled = false

  push(item: QueuedCommand): void {
    const queue = this.byPerson.get(item.participantId)
    if (queue) queue.push(item)
    else this.byPerson.set(item.participantId, [item])
    this.size++
  }

  /** Puts a taken command back at the head of its person's queue (it runs first next time). */
  unshift(item: QueuedCommand): void {
    const queue = this.byPerson.get(item.participantId)
    if (queue) queue.unshift(item)
    else this.byPerson.set(item.participantId, [item])
    this.size++
  }

  /**
   * Up to `max` commands, one per person in turn. The person served last moves to the back, so
   * the next batch starts with someone else.
   */
  take(max: number): QueuedCommand[] {
    const out: QueuedCommand[] = []
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

  /** Everything still queued (the room is going away). */
  drain(): QueuedCommand[] {
    const all = [...this.byPerson.values()].flat()
    this.byPerson.clear()
    this.size = 0
    return all
  }
}
