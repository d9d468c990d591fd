import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ephemeralSecretBox } from '../../server/auth/secretBox'
import { newId } from '../../server/auth/secrets'
import { contentDisposition } from '../../server/http/exports'
import { createReview as storeReview } from '../../server/reviews/reviewService'
import { SyncClient } from './helpers/syncClient'
import { createReview, postJson, startServer, type TestServer } from './helpers/testServer'

/** Text that breaks an export or a page later is refused at both doors, HTTP and socket [TX1] (H4). */
const BAD: Array<[string, string]> = [
  ['a lone surrogate', 'Lone \ud800 surrogate'],
  ['a right-to-left override', '\u202eevil\u202c Admin'],
  ['a left-to-right mark', 'a\u200eb'],
  ['only zero-width characters', '\u200b\u200d\u2060'],
  ['only spaces', '    '],
]

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.close()
})

async function exportOf(reviewId: string, token: string, file: 'export.md' | 'export.html') {
  const res = await fetch(`${server.url}/api/reviews/${reviewId}/${file}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: res.status, body: await res.text(), disposition: res.headers.get('content-disposition') }
}

describe('text fields at the doors', () => {
  it('[TX1] HTTP: a title or a name of each bad class is refused 400 INVALID and nothing is created', async () => {
    const review = await createReview(server.url)
    const code = review.invites.reviewer.split('/join/')[1]
    for (const [what, value] of BAD) {
      const created = await postJson(`${server.url}/api/reviews`, {
        title: value,
        facilitator: { name: 'Ada', function: 'product' },
      })
      expect([created.status, created.body?.error?.code], `title with ${what}`).toEqual([400, 'INVALID'])
      const facilitator = await postJson(`${server.url}/api/reviews`, {
        title: 'Fine',
        facilitator: { name: value, function: 'product' },
      })
      expect([facilitator.status, facilitator.body?.error?.code], `facilitator ${what}`).toEqual([
        400,
        'INVALID',
      ])
      const joined = await postJson(`${server.url}/api/invites/${code}/join`, {
        name: value,
        function: 'legal',
      })
      expect([joined.status, joined.body?.error?.code], `name with ${what}`).toEqual([400, 'INVALID'])
    }
    // The reported one, as raw JSON (a lone surrogate escape survives JSON.parse).
    const raw = await postJson(
      `${server.url}/api/reviews`,
      '{"title":"Lone \\ud800 surrogate","facilitator":{"name":"Ada","function":"product"}}',
    )
    expect([raw.status, raw.body?.error?.code]).toEqual([400, 'INVALID'])
    const junk = await postJson(`${server.url}/api/reviews`, {
      title: 'Fine',
      facilitator: { name: 'Ada', function: 'product' },
      colour: 'red',
    })
    expect([junk.status, junk.body?.error?.code]).toEqual([400, 'INVALID'])
    expect(junk.body?.error?.message).toContain('"colour"')
    const summary = await fetch(`${server.url}/api/reviews/${review.reviewId}`, {
      headers: { authorization: `Bearer ${review.token}` },
    }).then((r) => r.json())
    expect(summary.participants ?? summary).not.toContain('evil')
  })

  it('[TX1] socket: a note, a card or a sign-off of each bad class is refused INVALID', async () => {
    const review = await createReview(server.url)
    const c = new SyncClient(server.url, review.token)
    try {
      await c.synced
      for (const [what, value] of BAD) {
        const cmds = [
          { type: 'note.save', commandId: newId(), body: value },
          { type: 'card.create', commandId: newId(), body: value, severity: 'minor', kind: 'question' },
          { type: 'decision.signoff', commandId: newId(), stance: 'approve', rationale: value },
        ]
        for (const cmd of cmds) {
          const ack = await c.command(cmd)
          expect(ack.ok ? 'ok' : ack.error.code, `${cmd.type} with ${what}`).toBe('INVALID')
        }
      }
    } finally {
      c.close()
    }
  })

  it('[TX2] [EXP2] exports of a review with odd text work; export.md drops javascript:, data: and vbscript: links', async () => {
    const markdown = [
      '# Héadline مرحبا 👩‍💻',
      '',
      'See [one](javascript:alert(1)), [two](data:text/html,<script>alert(2)</script>), [three](vbscript:msgbox) and [fine](https://example.org/a).',
    ].join('\n')
    const res = await postJson(`${server.url}/api/reviews`, {
      title: 'Cafe\u0301 — «launch» 你好',
      facilitator: { name: 'Zoë', function: 'product' },
      markdown,
    })
    expect(res.status).toBe(201)
    const { reviewId, token } = res.body as { reviewId: string; token: string }
    // The import leaves script links as plain text; an editor can still write one as a link mark.
    const author = new SyncClient(server.url, token)
    try {
      await author.synced
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      paragraph.insert(0, [text])
      author.doc.getXmlFragment('prfaq').push([paragraph])
      let at = 0
      for (const href of [
        'javascript:alert(3)',
        'data:text/html,<b>x</b>',
        ' VBScript:msgbox',
        'https://ok.example/',
      ]) {
        text.insert(at, 'link ', { link: { href } })
        at += 5
      }
      await author.settled()
      expect(author.acks.every((a) => a.ok)).toBe(true)
    } finally {
      author.close()
    }
    const scriptLink = /(?<!\\)\]\(\s*<?\s*(javascript|data|vbscript):/i
    const md = await exportOf(reviewId, token, 'export.md')
    expect(md.status).toBe(200)
    expect(md.body).toContain('https://example.org/a')
    expect(md.body).toContain('(https://ok.example/)')
    expect(md.body).not.toMatch(scriptLink)
    expect(md.disposition).toContain('Caf%C3%A9') // stored NFC: one é, not e + combining accent
    const html = await exportOf(reviewId, token, 'export.html')
    expect(html.status).toBe(200)
    expect(html.body).toContain('href="https://ok.example/"')
    expect(html.body).not.toMatch(/href="\s*(javascript|data|vbscript):/i)
  })

  it('[TX2] a lone surrogate stored before titles were checked never makes an export fail', async () => {
    // Written past the HTTP door, as an old database could hold it.
    const created = await storeReview(
      {
        store: server.store,
        clock: Date.now,
        ids: newId,
        publicUrl: () => server.url,
        secrets: ephemeralSecretBox(),
        rooms: server.app.rooms,
      },
      'Lone \ud800 surrogate \u202eevil',
      { name: 'Ada', function: 'product' },
    )
    for (const file of ['export.md', 'export.html'] as const) {
      const res = await exportOf(created.reviewId, created.token, file)
      expect(res.status, file).toBe(200)
      expect(res.disposition).toContain("filename*=UTF-8''Lone%20%EF%BF%BD%20surrogate%20evil.")
    }
    expect(() => contentDisposition('attachment', '\udfff', 'md')).not.toThrow()
  })
})
