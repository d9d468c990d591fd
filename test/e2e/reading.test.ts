import { describe, expect, it } from 'vitest'
import { editorOf, newPage, openReview, participantIdOf, screenshot, useStage } from './harness'

/** Issue 3 in the browser: the facilitator opens silent reading; the lock and progress are visible. */
describe('the reading phase in Chromium', () => {
  const stage = useStage()

  it('[RD1] [RD3] [RD6] [TM1] [TM2] reading locks the author’s editor; a reviewer’s progress reaches the facilitator; the timer shows for all', async () => {
    const fac = await newPage(stage.browser)
    const author = await newPage(stage.browser)
    const reviewer = await newPage(stage.browser)
    await openReview(
      stage.url,
      fac.page,
      'Insight Hub',
      'Fay Facilitator',
      { page: author.page, role: 'author', name: 'Abe Author', fn: 'product' },
      { page: reviewer.page, role: 'reviewer', name: 'Rita Reviewer', fn: 'finance' },
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

    for (const p of [fac, author, reviewer]) await p.context.close()
  })
})
