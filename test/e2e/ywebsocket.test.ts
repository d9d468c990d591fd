import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { build, type Rolldown } from 'vite'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { SyncClient, until } from '../integration/helpers/syncClient'
import { createReview, join, startServer, type TestServer } from '../integration/helpers/testServer'
import { doorUrl } from '../integration/helpers/ywsClient'
import type { Watched, YwsBrowser } from './fixtures/ywsBrowser'
import { newPage, useStage } from './harness'
import { E2E_CLIENT_DIR } from './paths'

/**
 * The unmodified y-websocket 3.1.0 WebsocketProvider running in Chromium against the real server
 * (TARGETS Y1, Y3): it syncs a review, its edits reach a Socket.IO client and the store and theirs
 * reach it, awareness goes both ways by name, a server restart loses nothing, and a page on
 * another origin is refused. The provider is bundled from node_modules for the page (vite, as
 * globalSetup does for the wire test) and served from a test-only route.
 */
type PageWindow = { yws: YwsBrowser; w: Watched }

const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

let bundle = ''
async function bundleFixture(): Promise<string> {
  const root = path.resolve(import.meta.dirname, '../..')
  const out = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      write: false,
      copyPublicDir: false,
      lib: {
        entry: path.join(import.meta.dirname, 'fixtures/ywsBrowser.ts'),
        formats: ['es'],
        fileName: () => 'yws-test.js',
      },
    },
  })
  const [first] = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[]
  return first!.output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n')
}

describe('y-websocket 3.1.0 WebsocketProvider in Chromium', () => {
  const stage = useStage()
  beforeAll(async () => {
    bundle = await bundleFixture()
  })

  /** A page at `origin` (the board's, or another site's) with the provider bundle loaded. */
  async function providerPage(origin: string): Promise<Page> {
    const { context, page } = await newPage(stage.browser)
    cleanup.push(() => context.close())
    await routeBundle(context, origin)
    await page.goto(origin)
    await page.addScriptTag({ url: '/yws-test.js', type: 'module' })
    await page.waitForFunction(() => 'yws' in window)
    return page
  }

  async function routeBundle(context: BrowserContext, origin: string): Promise<void> {
    await context.route(`${origin}/yws-test.js`, (route) =>
      route.fulfill({ body: bundle, contentType: 'text/javascript' }),
    )
  }

  const connect = (page: Page, serverUrl: string, reviewId: string, token: string, name?: string) =>
    page.evaluate(
      ({ url, reviewId, token, name }) => {
        const win = window as unknown as PageWindow
        win.w = win.yws.connect(url, reviewId, token)
        if (name) win.w.provider.awareness.setLocalStateField('user', { name })
        return win.w.doc.clientID
      },
      { url: doorUrl(serverUrl), reviewId, token, name },
    )

  const pageDoc = (page: Page) =>
    page.evaluate(() => (window as unknown as PageWindow).w.doc.getXmlFragment('prfaq').toString())

  const appendInPage = (page: Page, text: string) =>
    page.evaluate((text) => {
      const win = window as unknown as PageWindow
      win.yws.appendParagraph(win.w.doc, text)
    }, text)

  function socketClient(url: string, token: string): SyncClient {
    const c = new SyncClient(url, token)
    cleanup.push(() => c.close())
    return c
  }

  async function storedDoc(store: Store, reviewId: string): Promise<string> {
    const doc = new Y.Doc()
    for (const p of await store.loadDocument(reviewId)) Y.applyUpdate(doc, p)
    return doc.getXmlFragment('prfaq').toString()
  }

  /** Polls the store (saving may finish a moment after a client sees the change). */
  async function untilStored(
    store: Store,
    reviewId: string,
    check: (doc: string) => boolean,
  ): Promise<string> {
    const start = Date.now()
    for (;;) {
      const doc = await storedDoc(store, reviewId)
      if (check(doc)) return doc
      if (Date.now() - start > 5_000) throw new Error(`not stored: ${doc}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  async function server(store: Store, port?: number): Promise<TestServer> {
    const s = await startServer({ store, config: { clientDir: E2E_CLIENT_DIR, ...(port ? { port } : {}) } })
    cleanup.push(() => s.close())
    return s
  }

  function appendInNode(doc: Y.Doc, text: string): void {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(text)])
    const fragment = doc.getXmlFragment('prfaq')
    fragment.insert(fragment.length, [p])
  }

  it('[Y1] syncs, edits go both ways with a Socket.IO client and are stored, awareness both ways by name', async () => {
    const store = createMemoryStore()
    cleanup.push(() => store.close())
    const s = await server(store)
    const review = await createReview(s.url)
    const author = await join(s.url, review.invites.author, 'Yuki')
    const peer = socketClient(s.url, review.token)
    await peer.synced
    const peerAwareness = new Awareness(peer.doc)
    cleanup.push(() => peerAwareness.destroy())
    peer.socket.on('yjs:awareness', (bytes: Uint8Array) =>
      applyAwarenessUpdate(peerAwareness, bytes, 'remote'),
    )

    const page = await providerPage(s.url)
    const browserClientId = await connect(page, s.url, review.reviewId, author.token, 'Yuki in Chromium')
    await page.waitForFunction(() => (window as unknown as PageWindow).w.provider.synced)
    const room = s.app.rooms.peek(review.reviewId)!
    // The template arrived whole.
    expect(await pageDoc(page)).toBe(room.doc.getXmlFragment('prfaq').toString())
    expect(room.doc.getXmlFragment('prfaq').length).toBeGreaterThan(3)

    // Browser → Socket.IO, and saved.
    await appendInPage(page, 'Typed in Chromium.')
    await until(() => peer.doc.getXmlFragment('prfaq').toString().includes('Typed in Chromium.'))
    await untilStored(store, review.reviewId, (d) => d.includes('Typed in Chromium.'))

    // Socket.IO → browser.
    appendInNode(peer.doc, 'Typed through Socket.IO.')
    await page.waitForFunction(() =>
      (window as unknown as PageWindow).w.doc
        .getXmlFragment('prfaq')
        .toString()
        .includes('Typed through Socket.IO.'),
    )
    await peer.settled()
    expect(await pageDoc(page)).toBe(peer.doc.getXmlFragment('prfaq').toString())
    const inPage = await pageDoc(page)
    await untilStored(store, review.reviewId, (d) => d === inPage)

    // Awareness, browser → Socket.IO: the caret carries the name; presence shows the participant.
    await until(() => {
      const st = peerAwareness.getStates().get(browserClientId) as { user?: { name: string } } | undefined
      return st?.user?.name === 'Yuki in Chromium'
    })
    const res = await fetch(`${s.url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${review.token}` },
    })
    const body = (await res.json()) as { participants: Array<{ id: string; name: string; online: boolean }> }
    expect(body.participants.find((p) => p.id === author.participantId)).toMatchObject({
      name: 'Yuki',
      online: true,
    })
    // Awareness, Socket.IO → browser.
    peerAwareness.setLocalStateField('user', { name: 'Ada' })
    peer.socket.emit('yjs:awareness', encodeAwarenessUpdate(peerAwareness, [peer.doc.clientID]))
    await page.waitForFunction((id) => {
      const st = (window as unknown as PageWindow).w.provider.awareness.getStates().get(id) as
        { user?: { name: string } } | undefined
      return st?.user?.name === 'Ada'
    }, peer.doc.clientID)
    await page.evaluate(() => (window as unknown as PageWindow).w.provider.destroy())
    await until(() => !peerAwareness.getStates().has(browserClientId))
  })

  it('[Y1] reconnects after a server restart with nothing lost, offline edits included', async () => {
    const store = createMemoryStore()
    cleanup.push(() => store.close())
    let s = await server(store)
    const port = Number(new URL(s.url).port)
    const review = await createReview(s.url)
    const page = await providerPage(s.url)
    await connect(page, s.url, review.reviewId, review.token)
    await page.waitForFunction(() => (window as unknown as PageWindow).w.provider.synced)
    await appendInPage(page, 'Before the restart.')
    await untilStored(store, review.reviewId, (d) => d.includes('Before the restart.'))
    await s.close()
    await page.waitForFunction(() => !(window as unknown as PageWindow).w.provider.wsconnected)
    expect(await page.evaluate(() => (window as unknown as PageWindow).w.closes)).toContain(1012)
    await appendInPage(page, 'While it was down.')
    s = await server(store, port)
    await page.waitForFunction(
      () => {
        const { provider } = (window as unknown as PageWindow).w
        return provider.wsconnected && provider.synced
      },
      undefined,
      { timeout: 10_000 },
    )
    const peer = socketClient(s.url, review.token)
    await peer.synced
    await until(() => peer.doc.getXmlFragment('prfaq').toString().includes('While it was down.'), 10_000)
    const text = await pageDoc(page)
    expect(peer.doc.getXmlFragment('prfaq').toString()).toBe(text)
    expect(text.indexOf('Before the restart.')).toBeLessThan(text.indexOf('While it was down.'))
    await untilStored(store, review.reviewId, (d) => d === text)
    await page.evaluate(() => (window as unknown as PageWindow).w.provider.destroy())
  })

  it('[Y3] a page on another origin is refused 4403 with the token it holds; nothing served; 3.1.0 stops', async () => {
    const review = await createReview(stage.url)
    const elsewhere = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end('<!doctype html><title>Another site</title>')
    })
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise((resolve) => elsewhere.close(resolve)))
    const foreign = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`
    const page = await providerPage(foreign)
    await connect(page, stage.url, review.reviewId, review.token)
    await page.waitForFunction(() => (window as unknown as PageWindow).w.stopped > 0, undefined, {
      timeout: 6_000,
    })
    const seen = await page.evaluate(() => {
      const { w } = window as unknown as PageWindow
      return {
        closes: w.closes,
        denied: w.denied,
        opens: w.opens,
        synced: w.provider.synced,
        blocks: w.doc.getXmlFragment('prfaq').length,
      }
    })
    expect(seen).toMatchObject({ closes: [4403], opens: 1, synced: false, blocks: 0 })
    expect(seen.denied).toHaveLength(1)
    expect(seen.denied[0]).toMatch(/origin/)
  })
})
