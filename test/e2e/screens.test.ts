import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { advance, selectInDocument, waitForPhase, writeCard } from './critique.helpers'
import { SCREENS_DIR } from './paths'
import { axeViolations, editorOf, joinInPage, newPage, screenshot, useStage } from './harness'

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const

/**
 * Every screen of a review, as the facilitator-author and as a reviewer, at a laptop and a small
 * screen: start, join, then the board in every phase of two rounds. Each is saved as
 * .tmp/screens/polish-*.png for people to look at, and checked with axe (serious and critical).
 */
describe('every screen at two sizes', () => {
  const stage = useStage()
  let pat: Page
  let eve: Page
  const problems: string[] = []

  async function look(page: Page, name: string) {
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.waitForTimeout(150)
      await screenshot(page, `polish-${name}-${size.width}`)
    }
    const violations = await axeViolations(page)
    for (const v of violations) problems.push(`${name}: ${v.id} ${v.help} ${JSON.stringify(v.nodes)}`)
  }
  const both = async (phase: string) => {
    await look(pat, `${phase}-facilitator`)
    await look(eve, `${phase}-reviewer`)
  }

  beforeAll(async () => {
    pat = (await newPage(stage.browser, { bypassCSP: true })).page
    eve = (await newPage(stage.browser, { bypassCSP: true })).page
  })

  it('[W1] start, join and the board in every phase, as facilitator and reviewer', async () => {
    await pat.goto(stage.url)
    await pat.getByLabel('Your name').fill('Pat PM')
    await pat.getByLabel('Try an example PR/FAQ').check()
    await look(pat, 'start')
    await pat.getByRole('button', { name: 'Create review' }).click()
    await pat.getByRole('heading', { name: /is ready/ }).waitFor()
    await look(pat, 'start-created')
    const reviewer = await pat.getByRole('textbox', { name: 'Reviewer link' }).inputValue()
    await eve.goto(reviewer)
    await eve.getByLabel('Your name').waitFor()
    await look(eve, 'join')
    await joinInPage(eve, reviewer, 'Eve Eng', 'engineering')
    await pat.getByRole('button', { name: 'Open the board' }).click()
    for (const p of [pat, eve]) await editorOf(p).locator('h1').waitFor()
    await both('draft')

    await advance(pat, 'Start reading')
    await waitForPhase(eve, 'reading')
    await selectInDocument(eve, 'One tap turns the plan into a pickup order')
    await eve.getByLabel(/^About “/).check()
    await eve.getByLabel('New note').fill('What if the store has no pickup slots?')
    await eve.getByRole('button', { name: 'Save note' }).click()
    await eve.getByTestId('note').waitFor()
    await both('reading')

    await advance(pat, 'Start critique')
    await waitForPhase(eve, 'critique')
    await writeCard(eve, {
      quote: 'live inventory from three regional grocery chains',
      body: 'How fresh is the inventory data? Minutes or hours?',
      severity: 'Structural',
      kind: 'Question',
    })
    await writeCard(pat, { body: 'The FAQ never says what it costs families.', severity: 'Minor' })
    await selectInDocument(eve, 'launches today in 40 cities')
    await both('critique')

    await advance(pat, 'Start discussion')
    await both('discussion')
    await pat.screenshot({ path: `${SCREENS_DIR}/polish-discussion-facilitator-full.png`, fullPage: true })

    await advance(pat, 'Start triage')
    const queue = pat.getByTestId('triage-queue')
    await queue.getByRole('button', { name: /Accept/ }).click()
    await queue.getByText('1 left').waitFor()
    await both('triage')

    await advance(pat, 'Start revision')
    // Just after the card's passage (End alone stops at the end of a visual line).
    await editorOf(pat).click()
    await selectInDocument(pat, 'regional grocery chains')
    await pat.keyboard.press('ArrowRight')
    await pat.keyboard.type(', refreshed every five minutes')
    await pat.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()
    await both('revision')

    await advance(pat, 'Start reading')
    await editorOf(eve).locator('ins.diff-ins').first().waitFor()
    await both('reading-round2')

    await advance(pat, 'Start critique')
    await advance(pat, 'Start discussion')
    await advance(pat, 'Start triage')
    await advance(pat, 'Start decision')
    await waitForPhase(eve, 'decision')
    await both('decision')

    const panel = pat.getByTestId('decision-panel')
    await panel.getByRole('radio', { name: /^Go — / }).check()
    await panel.getByLabel('Summary').fill('Go: the inventory question is answered.')
    await panel.getByRole('button', { name: 'Record go' }).click()
    await pat.getByRole('dialog').getByRole('button', { name: 'Record go' }).click()
    await waitForPhase(eve, 'closed')
    await both('closed')

    expect(problems).toEqual([])
  })
})
