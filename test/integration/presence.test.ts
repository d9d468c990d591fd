import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { project } from '../../shared/domain/projection'
import type { BoardEvent, BoardState } from '../../shared/protocol/board'
import { applyPatch } from '../../shared/protocol/patch'
import { createReview, join } from './helpers/testServer'
import type { SyncClient } from './helpers/syncClient'
import { until } from './helpers/syncClient'
import { serverPerTest } from './helpers/serverPerTest'

/**
 * Presence goes out as one small patch per tick to the whole room, and the participant list is
 * shared between the server's cached projections. Whatever the order of joins, leaves and
 * commands, each client's board (state + patches, applied the way the client store does) must
 * equal the server's projection for that participant.
 */
const stage = serverPerTest()

class Board {
  board: BoardState | null = null
  presenceEvents = 0
  constructor(readonly client: SyncClient) {
    client.socket.on('board:state', (s: BoardState) => (this.board = s))
    client.socket.on('board:event', (e: BoardEvent) => {
      if (!this.board) return
      if (e.type === 'presence.changed') this.presenceEvents++
      else if (e.seq <= this.board.seq) return
      this.board = applyPatch(this.board, e.patch, Math.max(e.seq, this.board.seq))
    })
  }
}

describe('presence', () => {
  it('[PA9] joins, leaves and commands in any order leave every board equal to its projection', async () => {
    const review = await createReview(stage.server.url)
    const people = [
      { pid: review.participantId as string, token: review.token as string },
      ...(
        await Promise.all(
          Array.from({ length: 7 }, (_, i) => join(stage.server.url, review.invites.reviewer, `R${i}`)),
        )
      ).map((j) => ({ pid: j.participantId, token: j.token })),
    ]
    const open = (i: number) => {
      const c = stage.client(people[i]!.token)
      return { i, board: new Board(c) }
    }
    const live = people.map((_, i) => open(i))
    // Second tabs of two people: they stay online when one tab closes.
    live.push(open(1), open(2))
    await until(() => live.every((l) => l.board.board !== null))
    const room = () => stage.server.app.rooms.peek(review.reviewId)!
    // seq is left out: a private change (a note) sends nothing to the others, so their seq lags.
    const view = (b: BoardState | null) => (b ? { ...b, seq: 0 } : b)
    const expected = (i: number) => view(project(room().state, people[i]!.pid, room().online()))
    const check = async () => {
      await until(() =>
        live.every((l) => {
          return isDeepStrictEqual(view(l.board.board), expected(l.i))
        }),
      ).catch(() => undefined)
      for (const l of live) expect(view(l.board.board)).toEqual(expected(l.i))
    }
    await check()
    // Leaves: a second tab (still online), then whole people; a command in the same tick.
    const leave = (l: (typeof live)[number]) => {
      l.board.client.close()
      live.splice(live.indexOf(l), 1)
    }
    leave(live.at(-1)!)
    leave(live.find((l) => l.i === 3)!)
    leave(live.find((l) => l.i === 5)!)
    await live[0]!.board.client.command({ type: 'note.save', commandId: 'n1', body: 'a note' })
    await check()
    expect(room().online().size).toBe(6)
    // Rejoins during a command.
    const back = [open(3), open(5)]
    live.push(...back)
    await live[0]!.board.client.command({ type: 'note.save', commandId: 'n2', body: 'another' })
    await check()
    expect(room().online().size).toBe(8)
    expect(live.some((l) => l.board.presenceEvents > 0)).toBe(true)
  })
})
