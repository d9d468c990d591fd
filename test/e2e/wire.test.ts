import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SyncClient, until } from '../integration/helpers/syncClient'
import type { Wire } from './fixtures/wireClient'
import { newPage, useStage } from './harness'

type WireWindow = { wire: Wire; results: unknown[]; doc: InstanceType<Wire['Y']['Doc']>; received: string[] }

/**
 * The msgpack wire in a real browser (TOOLCHAIN.md, msgpack trap): Yjs bytes from the page, a
 * subarray view over a larger buffer and a 300 KB state arrive exactly, and the server's bytes
 * arrive in the page as Uint8Arrays that decode.
 */
describe('the wire in Chromium', () => {
  const stage = useStage()
  let page: Page

  beforeAll(async () => {
    ;({ page } = await newPage(stage.browser))
  })

  it('carries Yjs updates, subarray views and a 300 KB state exactly, both ways', async () => {
    const res = await fetch(`${stage.url}/api/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Wire', facilitator: { name: 'Wendy', function: 'engineering' } }),
    })
    const { token } = (await res.json()) as { token: string }
    const big = 'abcdefghij0123456789ÄÖÜ✓'.repeat(Math.ceil(300_000 / 24)).slice(0, 300_000)

    await page.goto(stage.url)
    await page.addScriptTag({ url: '/wire-test.js', type: 'module' })
    await page.waitForFunction(() => 'wire' in window)

    // Browser → server: an update, an update sent as a view into a larger buffer, a 300 KB update.
    const acks = await page.evaluate(
      async ({ token, big }) => {
        const w = window as unknown as WireWindow
        const { io, parser, Y, encoding, decoding } = w.wire
        const doc = new Y.Doc()
        w.doc = doc
        w.received = []
        const socket = io({ parser, auth: { token }, transports: ['websocket'] })
        const msg = (type: number, payload: Uint8Array) => {
          const e = encoding.createEncoder()
          encoding.writeVarUint(e, type)
          encoding.writeVarUint8Array(e, payload)
          return encoding.toUint8Array(e)
        }
        const send = (bytes: Uint8Array) =>
          socket.timeout(10_000).emitWithAck('yjs:sync', bytes) as Promise<{ ok: boolean }>
        const synced = new Promise<void>((resolve) => {
          socket.on('yjs:sync', (raw: unknown) => {
            w.received.push(Object.prototype.toString.call(raw))
            const d = decoding.createDecoder(raw as Uint8Array)
            const type = decoding.readVarUint(d)
            const payload = decoding.readVarUint8Array(d)
            if (type === 0) void send(msg(1, Y.encodeStateAsUpdate(doc, payload)))
            else Y.applyUpdate(doc, payload, 'remote')
            if (type === 1) resolve()
          })
        })
        await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
        await send(msg(0, Y.encodeStateVector(doc)))
        await synced
        const updates: Uint8Array[] = []
        doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && updates.push(u))
        const text = doc.getText('t')
        const out: { ok: boolean }[] = []
        text.insert(0, 'from the page;')
        out.push(await send(msg(2, updates.shift()!)))
        text.insert(text.length, 'from a view;')
        const m = msg(2, updates.shift()!)
        const padded = new Uint8Array(m.length + 64).fill(0xff)
        padded.set(m, 32)
        out.push(await send(padded.subarray(32, 32 + m.length)))
        text.insert(text.length, big)
        out.push(await send(msg(2, updates.shift()!)))
        return out
      },
      { token, big },
    )
    expect(acks).toEqual([{ ok: true }, { ok: true }, { ok: true }])

    const node = new SyncClient(stage.url, token)
    await node.synced
    expect(node.text()).toBe(`from the page;from a view;${big}`)

    // Server → browser: a Node client's 300 KB edit arrives in the page intact, as Uint8Arrays.
    node.doc.getText('t').insert(0, `${big.split('').reverse().join('')}|from node|`)
    await node.settled()
    await until(() => node.acks.every((a) => a.ok))
    await page.waitForFunction(
      (len) => (window as unknown as WireWindow).doc.getText('t').length === len,
      node.text().length,
    )
    const seen = await page.evaluate(() => {
      const w = window as unknown as WireWindow
      return { text: w.doc.getText('t').toString(), kinds: [...new Set(w.received)] }
    })
    expect(seen.text).toBe(node.text())
    expect(seen.kinds).toEqual(['[object Uint8Array]'])

    // A fresh joiner in the page gets the whole ~600 KB state in one sync step 2.
    const joined = await page.evaluate(async (token) => {
      const { io, parser, Y, encoding, decoding } = (window as unknown as WireWindow).wire
      const doc = new Y.Doc()
      const socket = io({ parser, auth: { token }, transports: ['websocket'], forceNew: true })
      const done = new Promise<number>((resolve) => {
        socket.on('yjs:sync', (raw: Uint8Array) => {
          const d = decoding.createDecoder(raw)
          if (decoding.readVarUint(d) !== 1) return
          Y.applyUpdate(doc, decoding.readVarUint8Array(d))
          resolve(raw.byteLength)
        })
      })
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))
      socket.emit('yjs:sync', encoding.toUint8Array(e), () => undefined)
      const bytes = await done
      socket.close()
      return { bytes, text: doc.getText('t').toString() }
    }, token)
    expect(joined.bytes).toBeGreaterThan(600_000)
    expect(joined.text).toBe(node.text())
    node.close()
  })
})
