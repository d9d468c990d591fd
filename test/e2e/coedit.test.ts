import { describe, expect, it } from 'vitest'
import { createReviewInPage, editorOf, joinInPage, newPage, screenshot, useStage } from './harness'

/** Issue 2 in the browser: two authors co-edit live, see each other's carets, and nothing is lost. */
describe('co-editing in Chromium', () => {
  const stage = useStage()

  it('[DOC1] two authors see each other’s text and caret; saved means acknowledged; reload keeps it', async () => {
    const a = await newPage(stage.browser)
    const b = await newPage(stage.browser)
    const links = await createReviewInPage(a.page, stage.url, 'Pantry Plan launch', 'Ada Lovelace')
    await screenshot(a.page, 'start-created')
    await a.page.getByRole('button', { name: 'Open the board' }).click()
    await editorOf(a.page).waitFor()

    await joinInPage(b.page, links.author, 'Bea Fox', 'engineering')
    await editorOf(b.page).waitFor()
    // The template arrived in both: the headline heading is there.
    await b.page.locator('.prfaq-doc h1').first().waitFor()

    await editorOf(a.page).click()
    await a.page.keyboard.press('Control+End')
    await a.page.keyboard.press('Enter')
    await a.page.keyboard.type('Alpha line typed by Ada.')
    await editorOf(b.page).click()
    await b.page.keyboard.press('Control+End')
    await b.page.keyboard.press('Enter')
    await b.page.keyboard.type('Beta line typed by Bea.')

    await b.page.locator('.prfaq-doc', { hasText: 'Alpha line typed by Ada.' }).waitFor()
    await a.page.locator('.prfaq-doc', { hasText: 'Beta line typed by Bea.' }).waitFor()
    await b.page.locator('.collaboration-carets__label', { hasText: 'Ada Lovelace' }).waitFor()
    await a.page.locator('.collaboration-carets__label', { hasText: 'Bea Fox' }).waitFor()

    for (const { page } of [a, b]) {
      await page.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()
    }
    await screenshot(a.page, 'board-draft-author')
    await screenshot(b.page, 'board-draft-invited-author')

    await a.page.reload()
    await a.page.locator('.prfaq-doc', { hasText: 'Beta line typed by Bea.' }).waitFor()
    const text = await editorOf(a.page).innerText()
    expect(text).toContain('Alpha line typed by Ada.')
    // Nothing duplicated by the reload: the headline appears once.
    expect(await a.page.locator('.prfaq-doc h1').count()).toBe(1)
    await a.context.close()
    await b.context.close()
  })

  it('creates a review from an uploaded Markdown file', async () => {
    const { context, page } = await newPage(stage.browser)
    await page.goto(stage.url)
    await page.getByLabel('Review title').fill('Imported')
    await page.getByLabel('Your name').fill('Ida Importer')
    await page.getByLabel('Bring my own Markdown').check()
    await page.getByLabel('Upload a Markdown file').setInputFiles({
      name: 'prfaq.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '# Pantry Plan cuts food waste\n\n## The problem\n\nFamilies throw away a third of their food.\n',
      ),
    })
    // The file is read asynchronously.
    await expect.poll(() => page.getByLabel('Or paste Markdown').inputValue()).toContain('# Pantry Plan')
    await page.getByRole('button', { name: 'Create review' }).click()
    await page.getByRole('button', { name: 'Open the board' }).click()
    await page.locator('.prfaq-doc h1', { hasText: 'Pantry Plan cuts food waste' }).waitFor()
    expect(await editorOf(page).innerText()).toContain('Families throw away a third of their food.')
    await context.close()
  })

  it('a newcomer tries an example PR/FAQ and sees the board with a real document in it', async () => {
    const { context, page } = await newPage(stage.browser)
    await page.goto(stage.url)
    await page.getByLabel('Your name').fill('Nia Newcomer')
    await page.getByLabel('Try an example PR/FAQ').check()
    await page.getByLabel(/Insight Hub/).check()
    expect(await page.getByLabel('Review title').inputValue()).toBe('Insight Hub PR/FAQ')
    await page.getByRole('button', { name: 'Create review' }).click()
    await page.getByRole('button', { name: 'Open the board' }).click()
    await page.locator('.prfaq-doc h1', { hasText: 'Insight Hub' }).waitFor()
    expect(await editorOf(page).innerText()).toContain('leverages cutting-edge machine learning')
    // The weak example gives the checks something to say.
    await page.getByTestId('checks-panel').getByTestId('check').first().waitFor()
    await context.close()
  })

  it("the checks of the strong example pass from the moment its document shows, never the empty page's", async () => {
    const { context, page } = await newPage(stage.browser)
    await page.goto(stage.url)
    await page.getByLabel('Your name').fill('Nia Newcomer')
    await page.getByLabel('Try an example PR/FAQ').check()
    await page.getByLabel(/PantryPlan/).check()
    await page.getByRole('button', { name: 'Create review' }).click()
    await page.getByRole('button', { name: 'Open the board' }).click()
    await page.locator('.prfaq-doc h1', { hasText: 'PantryPlan' }).waitFor()
    expect(await page.getByTestId('checks-panel').innerText()).toContain('Every check passes.')
    await context.close()
  })
})
