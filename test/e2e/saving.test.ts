import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../server/app'
import { testConfig } from '../../server/config'
import { silentLogger } from '../../server/logger'
import { createMemoryStore } from '../../server/store/memory'
import type { Store } from '../../server/store/types'
import { createReviewInPage, editorOf, joinInPage, newPage, screenshot, useStage } from './harness'
import { E2E_CLIENT_DIR } from './paths'

/** A real store whose writes wait while `held` (the commit takes as long as the test says). */
function gatedStore(inner: Store): Store & { hold: () => void; release: () => void; waiting: () => number } {
  let gate: Promise<void> | null = null
  let open = () => {}
  let waiting = 0
  return {
    ...inner,
    write: async (id, set) => {
      if (gate) {
        waiting++
        await gate
        waiting--
      }
      return inner.write(id, set)
    },
    hold: () => {
      gate ??= new Promise((resolve) => (open = resolve))
    },
    release: () => {
      gate = null
      open()
    },
    waiting: () => waiting,
  }
}

/** Records every text the save indicator shows (and whether the paste is on the page then). */
async function recordLabels(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="save-status"]')!
    const seen: Array<{ label: string; pasteShown: boolean }> = []
    ;(window as unknown as { __labels: typeof seen }).__labels = seen
    new MutationObserver(() =>
      seen.push({
        label: el.textContent ?? '',
        pasteShown: document.querySelector('.prfaq-doc')?.textContent?.includes('HUGEPASTE') ?? false,
      }),
    ).observe(el, { childList: true, characterData: true, subtree: true })
  })
}

const recordedLabels = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __labels: Array<{ label: string; pasteShown: boolean }> }).__labels,
  )

/**
 * Issue 12, finding 1: "All changes saved" only when the server holds every local change. A
 * change the server refuses (here a paste over the 2 MB update limit) leaves the page, the person
 * is told and offered the refused text back, and the editor keeps working.
 */
describe('a refused change in Chromium', () => {
  const stage = useStage()

  it('[SV3] an oversized paste shows "not saved", the page returns to the server text, and the next edit is saved and seen elsewhere', async () => {
    const a = await newPage(stage.browser)
    const b = await newPage(stage.browser)
    const errors: string[] = []
    a.page.on('pageerror', (e) => errors.push(e.message))
    a.page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    const links = await createReviewInPage(a.page, stage.url, 'Paste test', 'Ada Lovelace')
    await a.page.getByRole('button', { name: 'Open the board' }).click()
    await editorOf(a.page).locator('h1').waitFor()
    await joinInPage(b.page, links.author, 'Bea Fox', 'engineering')
    await editorOf(b.page).locator('h1').waitFor()

    const saved = a.page.getByTestId('save-status')
    await saved.filter({ hasText: 'All changes saved' }).waitFor()
    await editorOf(a.page).click()
    // The caret at the document's end (pressed again until it is: a slow page may miss the first).
    await expect
      .poll(async () => {
        await a.page.keyboard.press('Control+End')
        return a.page.evaluate(() => {
          const s = getSelection()
          const text = document.querySelector('.ProseMirror')?.textContent ?? ''
          return !!s?.anchorNode && text.endsWith(s.anchorNode.textContent?.slice(0, s.anchorOffset) ?? '\0')
        })
      })
      .toBe(true)
    await recordLabels(a.page)
    // ~2.5 MB of text, pasted as a person would (a paste event with the clipboard's text).
    await a.page.evaluate(() => {
      document.dispatchEvent(new Event('selectionchange')) // the editor reads the caret now, not later
      const text = `HUGEPASTE ${'lorem ipsum dolor sit amet '.repeat(95_000)}`
      const data = new DataTransfer()
      data.setData('text/plain', text)
      const target = document.querySelector(
        '.prfaq-doc [contenteditable="true"], .prfaq-doc.ProseMirror, .ProseMirror',
      )!
      target.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    })
    // The person is told what was refused and offered the text back; the page returns to the
    // server's text: the paste is gone.
    await a.page
      .getByTestId('not-saved')
      .filter({ hasText: /too large/i })
      .waitFor({ timeout: 60_000 })
    expect(await a.page.getByTestId('not-saved-text').inputValue()).toContain('HUGEPASTE lorem ipsum')
    await expect.poll(() => editorOf(a.page).innerText(), { timeout: 20_000 }).not.toContain('HUGEPASTE')
    await saved.filter({ hasText: 'All changes saved' }).waitFor()
    await screenshot(a.page, 'board-not-saved-paste')
    // Every label the indicator showed since the paste, in order: "Not saved" came, and
    // "All changes saved" never showed while the paste was on the page.
    const labels = await recordedLabels(a.page)
    const notSaved = labels.findIndex((l) => /Not saved/.test(l.label))
    expect(notSaved, JSON.stringify(labels)).toBeGreaterThanOrEqual(0)
    expect(labels.slice(0, notSaved + 1).filter((l) => l.label === 'All changes saved')).toEqual([])
    expect(labels.filter((l) => l.label === 'All changes saved' && l.pasteShown)).toEqual([])

    // The editor keeps working: the next edit is saved and the other tab sees it.
    await editorOf(a.page).click()
    await a.page.keyboard.press('Control+End')
    await a.page.keyboard.press('Enter')
    await a.page.keyboard.type('Typed after the refusal.')
    await editorOf(b.page).filter({ hasText: 'Typed after the refusal.' }).waitFor()
    await saved.filter({ hasText: 'All changes saved' }).waitFor()
    expect(await editorOf(b.page).innerText()).not.toContain('HUGEPASTE')
    expect(errors.filter((e) => /clock|Cannot read/.test(e))).toEqual([])
    await a.context.close()
    await b.context.close()
  })
})

/**
 * "All changes saved" means the server acknowledged every change, and it acknowledges only after
 * the write committed: with the commit held, the label must not say saved, however long it waits.
 */
describe('saved means acknowledged in Chromium', () => {
  const stage = useStage() // the browser; the server is this suite's own, with a store that waits
  const store = gatedStore(createMemoryStore())
  let app: App
  let url = ''
  beforeAll(async () => {
    app = createApp({ store, config: testConfig({ clientDir: E2E_CLIENT_DIR }), logger: silentLogger() })
    url = await app.listen()
  })
  afterAll(async () => {
    store.release()
    await app.close()
    await store.close()
  })

  it('[DOC1] [R4] while the commit is held the label is never "All changes saved"; it is once the write commits', async () => {
    const a = await newPage(stage.browser)
    await createReviewInPage(a.page, url, 'Held commit', 'Ada Lovelace')
    await a.page.getByRole('button', { name: 'Open the board' }).click()
    await editorOf(a.page).locator('h1').waitFor()
    const status = a.page.getByTestId('save-status')
    await status.filter({ hasText: 'All changes saved' }).waitFor()
    await editorOf(a.page).click()
    await a.page.keyboard.press('Control+End')
    await recordLabels(a.page)

    store.hold()
    await a.page.keyboard.type('Held words.')
    await expect.poll(() => store.waiting(), { timeout: 10_000 }).toBeGreaterThan(0)
    await a.page.waitForTimeout(1500) // far longer than an ack takes when the store answers
    expect(await status.innerText()).not.toBe('All changes saved')
    const whileHeld = (await recordedLabels(a.page)).map((l) => l.label)
    expect(whileHeld.length, 'the indicator changed when typing started').toBeGreaterThan(0)
    expect(
      whileHeld.filter((l) => l === 'All changes saved'),
      JSON.stringify(whileHeld),
    ).toEqual([])

    store.release()
    await status.filter({ hasText: 'All changes saved' }).waitFor({ timeout: 10_000 })
    await a.page.reload()
    await editorOf(a.page).filter({ hasText: 'Held words.' }).waitFor()
    await a.context.close()
  })
})
