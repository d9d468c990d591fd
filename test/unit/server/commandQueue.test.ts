import { describe, expect, it } from 'vitest'
import type { Command } from '../../../shared/protocol/commands'
import { CommandQueue } from '../../../server/rooms/commandQueue'

const item = (participantId: string, n: number) => ({
  participantId,
  cmd: { type: 'timer.set', commandId: `${participantId}${n}`, seconds: 60 } as Command,
  reply: () => {},
})

describe('a room’s command queue', () => {
  it('[H3] takes one command per person in turn: a burst of one person never fills a batch ahead of the others', () => {
    const q = new CommandQueue()
    for (let i = 0; i < 200; i++) q.push(item('a', i))
    q.push(item('b', 0))
    q.push(item('c', 0))
    const first = q.take(64).map((x) => x.cmd.commandId)
    expect(first.slice(0, 3)).toEqual(['a0', 'b0', 'c0'])
    expect(first.slice(3)).toEqual(Array.from({ length: 61 }, (_, i) => `a${i + 1}`))
    expect(q.size).toBe(200 - 62)
  })

  it('[H3] commands put back come first next time, in their order, ahead of every queue', () => {
    const q = new CommandQueue()
    for (let i = 0; i < 3; i++) q.push(item('a', i))
    q.push(item('b', 0))
    const taken = q.take(3) // a0, b0, a1
    expect(taken.map((x) => x.cmd.commandId)).toEqual(['a0', 'b0', 'a1'])
    q.putBack(taken.slice(1)) // b0 could not run in this batch: it and what followed go back
    q.push(item('b', 1))
    expect(q.take(10).map((x) => x.cmd.commandId)).toEqual(['b0', 'a1', 'a2', 'b1'])
    expect(q.size).toBe(0)
  })
})
