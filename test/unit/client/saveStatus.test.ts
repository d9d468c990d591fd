// @vitest-environment happy-dom
import * as encoding from 'lib0/encoding'
import { createPinia, setActivePinia } from 'pinia'
import { effectScope, type EffectScope } from 'vue'
import * as sync from 'y-protocols/sync'
import * as Y from 'yjs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Ack } from '../../../shared/protocol/events'
import type { BoardSocket } from '../../../client/src/composables/useSocket'
import { useReviewDoc } from '../../../client/src/composables/useReviewDoc'

type AckFn = (ack: Ack) => void

/** A socket that records what is sent and lets the test answer each ack when it likes. */
function fakeSocket() {
  const handlers = new Map<string, Set<(...a: unknown[]) => void>>()
  const acks: AckFn[] = []
  const socket = {
    connected: true,
    on(event: string, fn: (...a: unknown[]) => void) {
      if (!handlers.has(event)) handlers.set(event, new Set())
      handlers.get(event)!.add(fn)
      return socket
    },
    off(event: string, fn: (...a: unknown[]) => void) {
      handlers.get(event)?.delete(fn)
      return socket
    },
    emit(event: string, _msg: unknown, ack?: AckFn) {
      if (event === 'yjs:sync' && ack) acks.push(ack)
      return socket
    },
    /** Delivers a server → client event. */
    receive(event: string, ...args: unknown[]) {
      for (const fn of handlers.get(event) ?? []) fn(...args)
    },
  }
  return { socket, acks, asBoard: socket as unknown as BoardSocket }
}

/** The server's first step 2 (its state), which marks the client synced. */
function serverStep2(): Uint8Array {
  const server = new Y.Doc()
  const e = encoding.createEncoder()
  sync.writeSyncStep2(e, server)
  return encoding.toUint8Array(e)
}

describe('the saved indicator: "All changes saved" only when every edit is acknowledged', () => {
  let scope: EffectScope
  let fake: ReturnType<typeof fakeSocket>
  let review: ReturnType<typeof useReviewDoc>

  beforeEach(() => {
    setActivePinia(createPinia())
    fake = fakeSocket()
    scope = effectScope()
    review = scope.run(() => useReviewDoc(fake.asBoard, { user: { name: 'Pat' } }))!
    // The handshake's step 1 went out on connect; the server answers it.
    expect(fake.acks).toHaveLength(1)
    fake.acks.shift()!({ ok: true })
    fake.socket.receive('yjs:sync', serverStep2())
  })
  afterEach(() => scope.stop())

  const type = (text: string) => review.handle.value.doc.getText('t').insert(0, text)

  it('reads saved after the handshake is acknowledged', () => {
    expect(review.synced.value).toBe(true)
    expect(review.label.value).toBe('All changes saved')
  })

  it('stays "Saving…" while any edit awaits its ack, and is saved only when all are acked', () => {
    type('a')
    type('b')
    expect(fake.acks).toHaveLength(2)
    expect(review.status.value).toBe('saving')
    expect(review.label.value).toBe('Saving…')
    fake.acks.shift()!({ ok: true })
    expect(review.label.value).toBe('Saving…')
    fake.acks.shift()!({ ok: true })
    expect(review.label.value).toBe('All changes saved')
  })

  it('an error ack is not saved, even when later edits are acknowledged', () => {
    type('a')
    type('b')
    fake.acks.shift()!({ ok: false, error: { code: 'UNAVAILABLE', message: 'The store failed.' } })
    expect(review.status.value).toBe('unsaved')
    fake.acks.shift()!({ ok: true })
    expect(review.label.value).toBe('Not saved — retrying')
  })

  it('edits made while disconnected are not saved until the reconnect has sent them', () => {
    fake.socket.connected = false
    fake.socket.receive('disconnect', 'transport close')
    type('offline')
    expect(review.label.value).toBe('Not saved — retrying')
  })

  it('an edit in flight when the connection drops: never "All changes saved" while offline, nor from its late ack', () => {
    type('in flight')
    expect(review.status.value).toBe('saving')
    const lateAck = fake.acks.shift()!
    fake.socket.connected = false
    fake.socket.receive('disconnect', 'transport close')
    expect(review.label.value).not.toBe('All changes saved')
    expect(review.status.value).toBe('unsaved')
    lateAck({ ok: true }) // an ack of the old connection proves nothing about the new one
    expect(review.label.value).not.toBe('All changes saved')
  })

  it('a refused change: "not saved" until the page is rebuilt from the server, then the refused text is offered back', () => {
    review.handle.value.doc.getXmlFragment('prfaq').insert(0, [paragraph('kept text')])
    fake.acks.shift()!({ ok: true })
    review.handle.value.doc.getXmlFragment('prfaq').insert(1, [paragraph('PASTED too much')])
    fake.acks.shift()!({
      ok: false,
      error: { code: 'TOO_LARGE', message: 'This change is too large to save.' },
    })
    expect(review.status.value).toBe('refused')
    expect(review.label.value).toMatch(/^Not saved/)
    // The server's full state (it holds only "kept text") completes the rebuild.
    const server = new Y.Doc()
    server.getXmlFragment('prfaq').insert(0, [paragraph('kept text')])
    const e = encoding.createEncoder()
    sync.writeSyncStep2(e, server)
    fake.socket.receive('yjs:sync', encoding.toUint8Array(e))
    expect(review.label.value).toBe('All changes saved')
    expect(review.notSaved.value?.text).toBe('PASTED too much')
    expect(review.notSaved.value?.error.code).toBe('TOO_LARGE')
    // The new awareness works (it threw "reading 'clock'" when the rebuild swapped it).
    expect(() => review.handle.value.awareness.setLocalStateField('cursor', { a: 1 })).not.toThrow()
    review.dismissNotSaved()
    expect(review.notSaved.value).toBeNull()
  })
})

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  return p
}
