import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  AWARENESS_BYTES_BURST,
  AWARENESS_BYTES_PER_SEC,
  AWARENESS_STATE_BYTES,
} from '../../server/rooms/awarenessGate'
import { createReview, join } from './helpers/testServer'
import { rawDoor } from './helpers/rawDoor'
import { until, type SyncClient } from './helpers/syncClient'
import { serverPerTest } from './helpers/serverPerTest'

/**
 * H2: presence (y-protocols awareness over `yjs:awareness`) is bounded and owned. A state over
 * 4 KB is never kept, relayed or replayed; a connection sets and removes only its own client id's
 * state; what one person's flood makes the others receive is bounded.
 */
const stage = serverPerTest()

interface Person {
  c: SyncClient
  aw: Awareness
  /** Bytes of `yjs:awareness` received. */
  received: () => number
}

function person(token: string): Person {
  const c = stage.client(token)
  const aw = new Awareness(new Y.Doc())
  aw.setLocalState(null)
  let bytes = 0
  c.socket.on('yjs:awareness', (u: Uint8Array) => {
    bytes += u.byteLength
    applyAwarenessUpdate(aw, u, 'remote')
  })
  return { c, aw, received: () => bytes }
}

/** Sets this person's own state and sends it, as a client's provider does. */
function say(p: Person, state: Record<string, unknown> | null): void {
  p.aw.setLocalState(state)
  p.c.socket.emit('yjs:awareness', encodeAwarenessUpdate(p.aw, [p.aw.clientID]))
}

/** An awareness update naming any client id, clock and state: what a hostile client can send. */
function forged(clientId: number, clock: number, state: unknown): Uint8Array {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, 1)
  encoding.writeVarUint(enc, clientId)
  encoding.writeVarUint(enc, clock)
  encoding.writeVarString(enc, JSON.stringify(state))
  return encoding.toUint8Array(enc)
}

type Named = { user?: { name?: string } } | undefined
const nameOf = (p: Person, clientId: number) => (p.aw.getStates().get(clientId) as Named)?.user?.name

async function room3() {
  const review = await createReview(stage.server.url)
  const [obs, rev] = await Promise.all([
    join(stage.server.url, review.invites.observer, 'Olga'),
    join(stage.server.url, review.invites.reviewer, 'Watcher'),
  ])
  const fac = person(review.token)
  const observer = person(obs.token)
  const watcher = person(rev.token)
  await Promise.all([fac.c.synced, observer.c.synced, watcher.c.synced])
  const room = () => stage.server.app.rooms.peek(review.reviewId)!
  return { review, obs, fac, observer, watcher, room }
}

describe('presence is bounded and owned', () => {
  it(`[H2] a state over ${AWARENESS_STATE_BYTES} bytes is not kept, relayed or replayed to a joiner`, async () => {
    const { review, fac, observer, watcher, room } = await room3()
    say(observer, { user: { name: 'Olga', blob: 'x'.repeat(AWARENESS_STATE_BYTES) } })
    say(fac, { user: { name: 'Ada' } })
    // The facilitator's state went out after the oversized one: once it is seen, the other would be.
    await until(() => nameOf(watcher, fac.aw.clientID) === 'Ada')
    expect(watcher.aw.getStates().has(observer.aw.clientID)).toBe(false)
    expect(room().awareness.getStates().has(observer.aw.clientID)).toBe(false)
    const joiner = person(review.token)
    await until(() => nameOf(joiner, fac.aw.clientID) === 'Ada')
    expect(joiner.aw.getStates().has(observer.aw.clientID)).toBe(false)
    // A state within the limit from the same connection is relayed as usual.
    say(observer, { user: { name: 'Olga' } })
    await until(() => nameOf(watcher, observer.aw.clientID) === 'Olga')
  })

  it('[H2] an observer cannot rename or remove the facilitator’s caret, nor erase it on leaving', async () => {
    const { review, fac, observer, watcher, room } = await room3()
    say(fac, { user: { name: 'Ada' } })
    say(observer, { user: { name: 'Olga' } })
    await until(
      () => nameOf(watcher, fac.aw.clientID) === 'Ada' && nameOf(watcher, observer.aw.clientID) === 'Olga',
    )
    const id = fac.aw.clientID
    const clock = fac.aw.meta.get(id)!.clock
    observer.c.socket.emit('yjs:awareness', forged(id, clock + 10, { user: { name: 'SPOOFED-BY-OBSERVER' } }))
    observer.c.socket.emit('yjs:awareness', forged(id, clock + 20, null))
    // Its own state still passes: the forged ones were dropped, not the connection.
    say(observer, { user: { name: 'Olga 2' } })
    await until(() => nameOf(watcher, observer.aw.clientID) === 'Olga 2')
    expect(nameOf(watcher, id)).toBe('Ada')
    expect((room().awareness.getStates().get(id) as Named)?.user?.name).toBe('Ada')
    // The facilitator's own next move is still applied (its clock was not pushed past it).
    say(fac, { user: { name: 'Ada (moved)' } })
    await until(() => nameOf(watcher, id) === 'Ada (moved)')
    // A fresh connection whose FIRST update names the facilitator's id is not bound to it.
    const second = person((await join(stage.server.url, review.invites.observer, 'Oskar')).token)
    await second.c.synced
    second.c.socket.emit('yjs:awareness', forged(id, clock + 99, { user: { name: 'SPOOFED-FIRST' } }))
    // Leaving removes the observer's own state for everyone, and only that one.
    observer.c.close()
    await until(() => !watcher.aw.getStates().has(observer.aw.clientID))
    await new Promise((r) => setTimeout(r, 100))
    expect(nameOf(watcher, id)).toBe('Ada (moved)')
    expect(room().awareness.getStates().has(id)).toBe(true)
  })

  it('[H2] after removing its own state a connection may take a fresh client id (a rebuilt editor), never another person’s', async () => {
    const { fac, observer, watcher } = await room3()
    say(fac, { user: { name: 'Ada' } })
    say(observer, { user: { name: 'Olga' } })
    await until(
      () => nameOf(watcher, observer.aw.clientID) === 'Olga' && nameOf(watcher, fac.aw.clientID) === 'Ada',
    )
    const oldId = observer.aw.clientID
    say(observer, null)
    await until(() => !watcher.aw.getStates().has(oldId))
    // Free again, it still cannot take the facilitator's id...
    observer.c.socket.emit('yjs:awareness', forged(fac.aw.clientID, 999, { user: { name: 'SPOOFED' } }))
    // ...but a fresh id of its own is bound and relayed.
    const fresh = new Awareness(new Y.Doc())
    fresh.setLocalState({ user: { name: 'Olga (rebuilt)' } })
    observer.c.socket.emit('yjs:awareness', encodeAwarenessUpdate(fresh, [fresh.clientID]))
    await until(() => nameOf(watcher, fresh.clientID) === 'Olga (rebuilt)')
    expect(nameOf(watcher, fac.aw.clientID)).toBe('Ada')
    fresh.destroy()
  })

  it('[H2] the y-websocket door goes through the same gate: it cannot rename the facilitator’s caret', async () => {
    const { review, obs, fac, watcher, room } = await room3()
    say(fac, { user: { name: 'Ada' } })
    await until(() => nameOf(watcher, fac.aw.clientID) === 'Ada')
    const door = rawDoor(stage.server.url, `${review.reviewId}?token=${obs.token}`)
    await door.opened
    const frame = (update: Uint8Array) => {
      const enc = encoding.createEncoder()
      encoding.writeVarUint(enc, 1) // y-websocket: awareness
      encoding.writeVarUint8Array(enc, update)
      return encoding.toUint8Array(enc)
    }
    const clock = fac.aw.meta.get(fac.aw.clientID)!.clock
    door.send(frame(forged(4242, 1, { user: { name: 'Door' } })))
    door.send(frame(forged(fac.aw.clientID, clock + 10, { user: { name: 'SPOOFED-BY-DOOR' } })))
    door.send(frame(forged(4242, 2, { user: { name: 'Door', pad: 'x'.repeat(AWARENESS_STATE_BYTES) } })))
    door.send(frame(forged(4242, 3, { user: { name: 'Door 2' } })))
    await until(() => nameOf(watcher, 4242) === 'Door 2')
    expect(nameOf(watcher, fac.aw.clientID)).toBe('Ada')
    expect(JSON.stringify(room().awareness.getStates().get(4242))).not.toContain('xxxx')
    door.ws.close()
    await until(() => !watcher.aw.getStates().has(4242))
    expect(nameOf(watcher, fac.aw.clientID)).toBe('Ada')
  })

  it('[H2] a flood of awareness from one person’s 4 sockets is bounded in what the others receive', async () => {
    const { obs, watcher, room } = await room3()
    const sockets = [person(obs.token), person(obs.token), person(obs.token), person(obs.token)]
    await Promise.all(sockets.map((s) => s.c.synced))
    const before = watcher.received()
    const started = performance.now()
    const state = (i: number) => ({ user: { name: `O${i}`, pad: 'y'.repeat(AWARENESS_STATE_BYTES - 100) } })
    for (let i = 0; i < 150; i++)
      for (const s of sockets) {
        say(s, state(i))
        // States just over the limit, and now and then a huge frame: dropped, never relayed.
        const pad = i % 50 === 0 ? 'z'.repeat(1_000_000) : 'z'.repeat(AWARENESS_STATE_BYTES)
        s.c.socket.emit('yjs:awareness', forged(s.aw.clientID, 10_000 + i, { pad }))
      }
    // A socket's messages are handled in order: once a command is answered, its flood was read.
    await Promise.all(sockets.map((s) => s.c.command({ type: 'timer.set', commandId: 'probe', seconds: 60 })))
    await new Promise((r) => setTimeout(r, 300))
    const seconds = (performance.now() - started) / 1000
    const got = watcher.received() - before
    // 600 states of ~4 KB and 600 larger ones sent: without a bound the watcher would get ~7 MB.
    const bound = AWARENESS_BYTES_BURST + AWARENESS_BYTES_PER_SEC * seconds + 600 * 16
    expect(got).toBeGreaterThan(0)
    expect(got).toBeLessThanOrEqual(bound)
    // What the room keeps: at most one state of ≤ 4 KB per connection.
    for (const st of room().awareness.getStates().values())
      expect(JSON.stringify(st).length).toBeLessThanOrEqual(AWARENESS_STATE_BYTES)
    expect(room().awareness.getStates().size).toBeLessThanOrEqual(room().connections())
  })
})
