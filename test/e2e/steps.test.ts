import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { advance, pantryPlanCast, selectInDocument, waitForPhase, writeCard } from './critique.helpers'
import { axeViolations, createReviewInPage, editorOf, newPage, screenshot, useStage } from './harness'

/**
 * Issue 13, "every step safe", the smaller steps of one review played through two rounds: Pat
 * facilitates and writes, Eve reviews, Lee decides. Answering into the FAQ the author chooses,
 * Ctrl+Enter, praise that asks for no change, "+N more" changed sections, a jump to a section
 * that stops below the header, the timer in whole minutes, the Print preview, and the page that
 * lists the reviews this browser has joined. Screens: .tmp/screens/steps-*.png.
 */

/** Brings the card whose text contains `body` to the front of the triage queue (J moves on). */
async function triageCurrent(page: Page, body: string): Promise<void> {
  const queue = page.getByTestId('triage-queue')
  for (let i = 0; i < 10; i++) {
    if ((await queue.getByTestId('triage-current').innerText()).includes(body)) return
    await queue.locator('.queue').focus()
    await page.keyboard.press('j')
  }
  throw new Error(`"${body}" is not in the triage queue`)
}

/** The headings of the document in order, as the reader sees them. */
const headings = (page: Page) =>
  editorOf(page)
    .locator('h1, h2, h3')
    .evaluateAll((hs) => hs.map((h) => h.textContent?.trim() ?? ''))

/** Types `words` just after the first occurrence of `text` in the document. */
async function typeAfter(page: Page, text: string, words: string): Promise<void> {
  await selectInDocument(page, text)
  await page.keyboard.press('ArrowRight')
  await page.keyboard.type(words)
}

describe('every step safe', () => {
  const stage = useStage()
  let pat: Page
  let eve: Page
  let lee: Page
  const problems: string[] = []

  beforeAll(async () => {
    ;({ pat, eve, lee } = await pantryPlanCast(stage, 'decider'))
  })

  it('[TM4] the timer refuses 0.1 minutes with a sentence and starts on whole minutes', async () => {
    await advance(pat, 'Start reading')
    await waitForPhase(eve, 'reading')
    await pat.getByLabel('Timer (minutes)').fill('0.1')
    await pat.getByRole('button', { name: 'Start timer' }).click()
    await pat
      .getByTestId('timer-error')
      .getByText(/whole minutes/i)
      .waitFor()
    expect(await eve.getByTestId('timer').count()).toBe(0)
    await pat.getByLabel('Timer (minutes)').fill('2')
    await pat.getByRole('button', { name: 'Start timer' }).click()
    await eve.getByTestId('timer').waitFor()
    expect(await pat.getByTestId('timer-error').innerText()).toBe('')
  })

  it('[TR9] [RV3] an answer goes into the FAQ the author picks, sent by Ctrl+Enter; accepted praise is no revision item', async () => {
    for (const p of [eve, lee]) await p.getByRole('button', { name: "I'm done reading" }).click()
    await advance(pat, 'Start critique')
    await waitForPhase(eve, 'critique')
    await writeCard(eve, { body: 'Does it work offline in the store?', severity: 'Minor', kind: 'Question' })
    await writeCard(eve, {
      quote: 'who has it, how often',
      body: 'The problem statement is sharp.',
      severity: 'Minor',
      kind: 'Praise',
    })
    await writeCard(lee, {
      quote: 'Privacy, regulation',
      body: 'Name the data we keep and for how long.',
      severity: 'Structural',
    })
    await advance(pat, 'Start discussion')
    await advance(pat, 'Start triage')
    const queue = pat.getByTestId('triage-queue')
    await queue.getByText('3 left').waitFor()
    // While cards are open, the obvious next step is the revision, not the decision [PH13].
    const moves = pat.getByRole('group', { name: 'Move the review' })
    expect(await moves.getByRole('button', { name: 'Start revision' }).getAttribute('class')).toContain(
      'btn-primary',
    )

    // Answer as FAQ: the words would land in the external FAQ; the author picks the internal one.
    await triageCurrent(pat, 'Does it work offline')
    await queue.locator('.queue').focus()
    await pat.keyboard.press('f')
    const faq = queue.getByRole('group', { name: 'Add it to' })
    expect(await faq.getByLabel('External FAQ').isChecked()).toBe(true)
    await faq.getByLabel('Internal FAQ').check()
    await queue.getByLabel(/The answer/).fill('Yes: the plan is kept on the phone.')
    await pat.keyboard.press('Control+Enter')
    await queue.getByText('2 left').waitFor()
    await editorOf(pat).getByText('Yes: the plan is kept on the phone.').waitFor()
    const order = await headings(pat)
    const question = order.findIndex((h) => h.includes('Does it work offline in the store?'))
    expect(question, order.join(' | ')).toBeGreaterThan(order.indexOf('Internal FAQ'))
    expect(order.indexOf('Internal FAQ')).toBeGreaterThan(order.indexOf('External FAQ'))

    // The praise and the concern, each accepted by one key (the accept is sent when the next one is).
    await triageCurrent(pat, 'The problem statement is sharp.')
    await queue.locator('.queue').focus()
    await pat.keyboard.press('a')
    await queue.getByText('1 left').waitFor()
    await queue.locator('.queue').focus()
    await pat.keyboard.press('a')
    await queue.getByText('Every card is triaged.').waitFor()
    await advance(pat, 'Start revision')
    await waitForPhase(eve, 'revision')
    const plan = pat.getByTestId('revision-checklist')
    await plan.getByText('Name the data we keep').waitFor()
    expect(await plan.getByText('The problem statement is sharp.').count()).toBe(0)
    expect(await plan.getByRole('heading').innerText()).toContain('0/1 done')
    await screenshot(pat, 'steps-revision-plan')
  })

  it('[RD4] round 2 names every changed section (+N more), and a jump stops below the header', async () => {
    // Seven sections rewritten: more than the summary names inline.
    const ends = [
      'in one or two sentences',
      'what it costs them today',
      "from the customer's point of view",
      'said a named leader and their title',
      'what they do, what they get',
      'said a named, believable customer',
      'and at what price',
    ]
    for (const end of ends) await typeAfter(pat, end, ' (revised)')
    await pat.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()
    await advance(pat, 'Start reading')
    await waitForPhase(eve, 'reading')
    const changes = eve.getByTestId('what-changed')
    const more = changes.getByTestId('changes-more')
    await more.waitFor()
    expect(await more.innerText()).toMatch(/^\+\d+ more$/)
    const hidden = Number((await more.innerText()).match(/\d+/)![0])
    const listed = changes.locator('.sections button:not(.more)')
    const before = await listed.count()
    await more.click()
    await expect.poll(() => listed.count()).toBe(before + hidden)
    expect(before + hidden).toBeGreaterThanOrEqual(ends.length)
    await screenshot(eve, 'steps-what-changed-all')

    // A jump to a section: its heading ends up on screen, under the sticky header, not behind it.
    for (const size of [
      { width: 1440, height: 900 },
      { width: 1024, height: 768 },
    ]) {
      await eve.setViewportSize(size)
      await eve.evaluate(() => window.scrollTo(0, 0))
      await changes.getByRole('button', { name: 'Call to action', exact: true }).click()
      const heading = editorOf(eve).getByRole('heading', { name: 'Call to action' })
      await expect
        .poll(async () => (await heading.boundingBox())?.y ?? -1, { timeout: 5000 })
        .toBeLessThan(size.height / 2)
      await eve.waitForTimeout(600) // the smooth scroll settles
      const header = (await eve.locator('.board-header').boundingBox())!
      const box = (await heading.boundingBox())!
      expect(box.y, `heading at ${size.width}`).toBeGreaterThanOrEqual(header.y + header.height)
      await screenshot(eve, `steps-jump-${size.width}`)
    }
    await eve.setViewportSize({ width: 1280, height: 860 })
  })

  it('[EXP3] [PA14] the printable page opens in a preview with a Print button; the home page lists reviews with phase, round and outcome', async () => {
    for (const p of [eve, lee]) await p.getByRole('button', { name: "I'm done reading" }).click()
    for (const step of ['Start critique', 'Start discussion', 'Start triage', 'Start decision'])
      await advance(pat, step)
    await waitForPhase(lee, 'decision')
    await lee.getByRole('button', { name: 'Printable page' }).click()
    const preview = lee.getByRole('dialog', { name: 'Printable page' })
    await preview.getByRole('button', { name: 'Print…' }).waitFor()
    await expect
      .poll(() => preview.locator('iframe').evaluate((f) => (f as HTMLIFrameElement).srcdoc.length))
      .toBeGreaterThan(1000)
    for (const v of await axeViolations(lee)) problems.push(`print preview: ${v.id}`)
    await screenshot(lee, 'steps-print-preview')
    await preview.getByRole('button', { name: 'Close' }).click()
    await preview.waitFor({ state: 'hidden' })

    const panel = pat.getByTestId('decision-panel')
    await panel.getByRole('radio', { name: /^No-go — / }).check()
    await panel.getByLabel('Summary').fill('No-go: the data question stays open.')
    await panel.getByRole('button', { name: 'Record no-go' }).click()
    await pat
      .getByRole('dialog', { name: 'Record no-go?' })
      .getByRole('button', { name: 'Record no-go' })
      .click()
    await waitForPhase(eve, 'closed')

    // Eve's browser also starts a review of its own; her home page lists both.
    await createReviewInPage(eve, stage.url, 'Lunch Kit', 'Eve Eng')
    // The test server runs on 127.0.0.1: the start page says these links open nowhere else, and how to share.
    await eve.getByTestId('share-note').getByText('HOST=0.0.0.0 PUBLIC_URL=').waitFor()
    // The facilitator's own way back from another device: the return link on the start page [PA11].
    const back = await eve.getByRole('textbox', { name: 'Your personal return link' }).inputValue()
    const laptop = await newPage(stage.browser)
    await laptop.page.goto(back)
    await laptop.page.waitForURL(/\/r\//)
    await laptop.page
      .getByRole('group', { name: 'Move the review' })
      .getByRole('button', { name: 'Start reading' })
      .waitFor()
    await laptop.context.close()
    await eve.goto(`${stage.url}/reviews`)
    const rows = eve.getByTestId('review-row')
    await expect.poll(() => rows.count()).toBe(2)
    const pantry = rows.filter({ hasText: 'Pantry Plan' })
    await pantry.getByTestId('review-outcome').filter({ hasText: 'No-go' }).waitFor()
    const text = await pantry.innerText()
    expect(text).toContain('Closed')
    expect(text).toContain('Round 2')
    expect(text).toMatch(/Last activity (just now|\d+ min ago)/)
    expect(text).toContain('As Eve Eng')
    const lunch = rows.filter({ hasText: 'Lunch Kit' })
    expect(await lunch.innerText()).toContain('Draft')
    for (const v of await axeViolations(eve)) problems.push(`reviews page: ${v.id}`)
    await screenshot(eve, 'steps-your-reviews')
    await pantry.getByRole('link', { name: 'Open Pantry Plan' }).click()
    await waitForPhase(eve, 'closed')
    await editorOf(eve).getByText('Yes: the plan is kept on the phone.').waitFor()
    expect(problems).toEqual([])
  })

  it('[M2] creating from a 2.5 MB file names the limit and what to do, and creates nothing', async () => {
    const { page, context } = await newPage(stage.browser)
    await page.goto(stage.url)
    await page.getByLabel('Review title').fill('Too big')
    await page.getByLabel('Your name').fill('Bo Big')
    await page.getByLabel('Bring my own Markdown').check()
    await page.getByLabel('Upload a Markdown file').setInputFiles({
      name: 'big.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(`# Big\n\n${'lorem ipsum dolor sit amet '.repeat(95_000)}\n`),
    })
    await expect.poll(() => page.getByLabel('Or paste Markdown').inputValue()).toContain('# Big')
    await page.getByRole('button', { name: 'Create review' }).click()
    const alert = page.getByRole('alert').filter({ hasText: /The limit is 2 MB; this was 2\.\d MB\./ })
    await alert.waitFor()
    expect(await alert.innerText()).toMatch(/remove pasted images/)
    expect(await page.getByRole('heading', { name: /is ready/ }).count()).toBe(0)
    await screenshot(page, 'steps-start-too-large')
    await context.close()
  })
})
