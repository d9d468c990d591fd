import { decode } from '@msgpack/msgpack'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { editorOf, newPage, openReview, participantIdOf, screenshot, useStage } from './harness'

/**
 * Whose reading progress reached this page over the wire: the participant ids of every progress
 * entry in a `board:state` or a `board:event` patch (msgpack frames, decoded as the client does).
 */
function progressSeenBy(page: Page): Set<string> {
  const seen = new Set<string>()
  const take = (list: unknown) => {
    if (Array.isArray(list))
      for (const p of list as Array<{ participantId?: unknown }>)
        if (typeof p?.participantId === 'string') seen.add(p.participantId)
  }
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return // engine.io pings
      let packet: unknown
      try {
        packet = decode(payload)
      } catch {
        return
      }
      const data = (packet as { data?: unknown } | null)?.data
      if (!Array.isArray(data)) return // connect and other packets without an event
      const [event, body] = data as unknown[]
      const b = body as { progress?: unknown; patch?: { progress?: unknown } } | undefined
      if (event === 'board:state') take(b?.progress)
      if (event === 'board:event') take(b?.patch?.progress)
    }),
  )
  return seen
}

/** Issue 3 in the browser: the facilitator opens silent reading; the lock and progress are visible. */
describe('the reading phase in Chromium', () => {
  const stage = useStage()

  it('[RD1] [RD3] [RD5] [RD6] [TM1] [TM2] reading locks the author’s editor; a reviewer’s progress reaches the facilitator, not another reviewer; the timer shows for all', async () => {
    const fac = await newPage(stage.browser)
    const author = await newPage(stage.browser)
    const reviewer = await newPage(stage.browser)
    const other = await newPage(stage.browser)
    const seenByFacilitator = progressSeenBy(fac.page)
    const seenByOther = progressSeenBy(other.page)
    await openReview(
      stage.url,
      fac.page,
      'Insight Hub',
      'Fay Facilitator',
      { page: author.page, role: 'author', name: 'Abe Author', fn: 'product' },
      { page: reviewer.page, role: 'reviewer', name: 'Rita Reviewer', fn: 'finance' },
      { page: other.page, role: 'reviewer', name: 'Rex Reviewer', fn: 'legal' },
    )

    // The author can type in draft.
    await editorOf(author.page).click()
    await author.page.keyboard.press('Control+End')
    await author.page.keyboard.type(' Draft words.')
    await author.page.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()

    // Into reading, through the confirmation (no way back to draft).
    await fac.page.getByRole('button', { name: 'Start reading' }).click()
    const dialog = fac.page.getByRole('dialog')
    await dialog.waitFor()
    expect(await dialog.getByTestId('confirm-message').innerText()).toMatch(/lock/i)
    await dialog.getByRole('button', { name: 'Start reading' }).click()

    for (const { page } of [fac, author, reviewer]) {
      await page.getByText('Reading — the document is locked.').waitFor()
    }
    // Timer: set by the facilitator for this phase, seen by everyone; it moves nothing.
    await fac.page.getByLabel('Timer (minutes)').fill('5')
    await fac.page.getByRole('button', { name: 'Start timer' }).click()
    for (const { page } of [fac, author, reviewer]) {
      await page
        .getByTestId('timer')
        .filter({ hasText: /[45]:\d\d/ })
        .waitFor()
    }

    expect(await editorOf(author.page).getAttribute('contenteditable')).toBe('false')
    const before = await editorOf(author.page).innerText()
    await editorOf(author.page).click()
    await author.page.keyboard.type('SHOULD NOT APPEAR')
    await author.page.waitForTimeout(300)
    expect(await editorOf(author.page).innerText()).toBe(before)
    expect(await editorOf(fac.page).innerText()).not.toContain('SHOULD NOT APPEAR')

    // The reviewer reads: sections on screen long enough count, then "done".
    const reviewerId = await participantIdOf(reviewer.page)
    const row = fac.page.getByTestId(`progress-${reviewerId}`)
    // A page in the background is not rendered, so nothing is "on screen" there: bring it forward.
    await reviewer.page.bringToFront()
    await reviewer.page
      .getByTestId('my-progress')
      .filter({ hasText: /[1-9]\d* of \d+ sections read/ })
      .waitFor()
    await row.filter({ hasText: /[1-9]\d*%/ }).waitFor({ timeout: 15_000 })
    await screenshot(reviewer.page, 'board-reading-reviewer')
    await reviewer.page.getByRole('button', { name: "I'm done reading" }).click()
    await row.filter({ hasText: 'Done' }).waitFor()
    await fac.page
      .getByTestId('reading-summary')
      .filter({ hasText: /^1 of \d+ done$/ })
      .waitFor()
    // Another reviewer sees only their own reading, on the page and on the wire [RD5]; the
    // facilitator's wire carried Rita's progress, so the check below can fail.
    await other.page.getByTestId('my-progress').waitFor()
    expect(await other.page.getByTestId('reading-panel').count()).toBe(0)
    expect(await other.page.getByTestId(`progress-${reviewerId}`).count()).toBe(0)
    expect(await other.page.getByRole('button', { name: "I'm done reading" }).count()).toBe(1)
    expect(await other.page.getByText('You are done reading.').count()).toBe(0)
    expect(seenByFacilitator.has(reviewerId)).toBe(true)
    expect([...seenByOther].filter((id) => id === reviewerId)).toEqual([])
    // A reload keeps the reader's progress: nothing is reported backwards.
    await reviewer.page.reload()
    await reviewer.page.getByText('You are done reading.').waitFor()
    await reviewer.page.waitForTimeout(2500)
    expect(await row.innerText()).toContain('Done')
    await screenshot(fac.page, 'board-reading-facilitator')
    await screenshot(author.page, 'board-reading-author')

    // Leaving reading names who is still reading.
    await fac.page.getByRole('button', { name: 'Start critique' }).click()
    const message = await fac.page.getByRole('dialog').getByTestId('confirm-message').innerText()
    expect(message).toContain('Abe Author')
    expect(message).not.toContain('Rita Reviewer')
    await fac.page.keyboard.press('Escape')
    await fac.page.getByRole('dialog').waitFor({ state: 'hidden' })

    for (const p of [fac, author, reviewer, other]) await p.context.close()
  })
})
