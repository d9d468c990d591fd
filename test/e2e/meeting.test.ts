import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  advance,
  cardOn,
  pantryPlanCast,
  selectInDocument,
  waitForPhase,
  writeCard,
} from './critique.helpers'
import { axeViolations, editorOf, screenshot, useStage } from './harness'

/**
 * Issue 13 (cards and document together; every phase obvious, every step safe), played as a
 * meeting: Pat facilitates and writes, Eve reviews (engineering), Lee decides (legal). Screens
 * are saved at 1440×900, 1024×768 and 390×844 as .tmp/screens/meeting-*.png.
 */
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
] as const
const LAPTOPS = SIZES.slice(0, 2)
const DEFAULT = { width: 1280, height: 860 }

/** True when at least the top `part` px of the element (or all of it, if smaller) is on screen. */
async function onScreen(page: Page, target: Locator, part = 60): Promise<boolean> {
  const box = await target.boundingBox()
  const vp = page.viewportSize()!
  if (!box) return false
  const seen = Math.min(box.height, part)
  return box.x >= 0 && box.x + box.width <= vp.width + 0.5 && box.y >= 0 && box.y + seen <= vp.height
}

/** The document's text is on screen: its column in the viewport, some of it below the header. */
async function documentOnScreen(page: Page): Promise<boolean> {
  const doc = await editorOf(page).boundingBox()
  const header = await page.locator('.board-header').boundingBox()
  const vp = page.viewportSize()!
  if (!doc || !header) return false
  return (
    doc.x >= 0 &&
    doc.x + doc.width <= vp.width + 0.5 &&
    doc.y < vp.height - 100 &&
    doc.y + doc.height > header.y + header.height + 100
  )
}

async function noSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

describe('a meeting on the board', () => {
  const stage = useStage()
  let pat: Page
  let eve: Page
  let lee: Page
  const problems: string[] = []

  /**
   * Screens at three sizes (looked at by people), axe once at the laptop size; at every size no
   * sideways scroll, and on the phone a header under 100 px.
   */
  async function look(page: Page, name: string) {
    for (const size of SIZES) {
      await page.setViewportSize(size)
      await page.waitForTimeout(120)
      await screenshot(page, `meeting-${name}-${size.width}`)
      if (!(await noSidewaysScroll(page))) problems.push(`${name}: sideways scroll at ${size.width}`)
      const header = (await page.locator('.board-header').boundingBox())!
      if (size.width < 600 && header.height >= 100)
        problems.push(`${name}: phone header ${Math.round(header.height)} px`)
    }
    await page.setViewportSize(DEFAULT)
    for (const v of await axeViolations(page)) problems.push(`${name}: ${v.id} ${JSON.stringify(v.nodes)}`)
  }
  const phaseBarFocused = (page: Page) =>
    page.waitForFunction(() => document.activeElement?.id === 'phase-bar', null, { timeout: 5000 })

  beforeAll(async () => {
    ;({ pat, eve, lee } = await pantryPlanCast(stage, 'decider'))
  })

  it('[W1] every dialog has its own accessible name; a reviewer reads what is happening now in draft', async () => {
    await eve
      .getByTestId('now-line')
      .getByText(/the authors are still writing/)
      .waitFor()
    expect(await pat.getByTestId('now-line').count()).toBe(0) // the facilitator has the buttons instead
    await look(pat, 'draft-facilitator')
    await look(eve, 'draft-reviewer')
    // The invite, people and settings dialogs and the phase bar's: unique ids, each names its dialog.
    const ids = await pat
      .locator('dialog')
      .evaluateAll((ds) => ds.map((d) => d.getAttribute('aria-labelledby')))
    expect(ids.length).toBeGreaterThan(0)
    expect(new Set(ids).size).toBe(ids.length)
    await pat
      .getByRole('group', { name: 'Move the review' })
      .getByRole('button', { name: 'Start reading' })
      .click()
    await pat.getByRole('dialog', { name: 'Start reading?' }).waitFor()
    for (const v of await axeViolations(pat)) problems.push(`confirm dialog: ${v.id}`)
    await pat.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    expect(problems).toEqual([])
  })

  it('[PH5] focus lands on the phase bar after a confirmed phase change', async () => {
    await advance(pat, 'Start reading')
    await phaseBarFocused(pat)
    expect(await pat.evaluate(() => document.activeElement?.textContent)).toContain('Now: Reading, round 1')
    await waitForPhase(eve, 'reading')
    await eve.getByRole('button', { name: "I'm done reading" }).click()
    await lee.getByRole('button', { name: "I'm done reading" }).click()
    await look(pat, 'reading-facilitator')
    await look(eve, 'reading-reviewer')
  })

  it('critique: your own cards beside the document at 1024×768 and 1440×900, and one pane at a time on a phone', async () => {
    await advance(pat, 'Start critique')
    await phaseBarFocused(pat)
    await waitForPhase(eve, 'critique')
    await writeCard(eve, {
      quote: 'No jargon, no feature list',
      body: 'Name the customer in the headline.',
      severity: 'Structural',
    })
    await writeCard(eve, { body: 'The FAQ never says what it costs.', severity: 'Minor' })
    await writeCard(lee, {
      quote: 'Privacy, regulation',
      body: 'Which data leaves the EU?',
      severity: 'Fatal',
    })
    const margin = eve.getByTestId('cards-margin')
    await margin.getByRole('heading', { name: /Your cards/ }).waitFor()
    for (const size of LAPTOPS) {
      await eve.setViewportSize(size)
      await eve.evaluate(() => window.scrollTo(0, 0))
      await eve.waitForTimeout(150)
      expect(await documentOnScreen(eve), `document at ${size.width}`).toBe(true)
      const mine = cardOn(eve, 'Name the customer in the headline.')
      expect(await onScreen(eve, mine), `own card at ${size.width}`).toBe(true)
      const [doc, card] = [await editorOf(eve).boundingBox(), await mine.boundingBox()]
      expect(card!.x).toBeGreaterThanOrEqual(doc!.x + doc!.width) // beside, not over
      expect(await noSidewaysScroll(eve)).toBe(true)
    }
    // Blind: Lee's card is nowhere on Eve's board.
    expect(await cardOn(eve, 'Which data leaves the EU?').count()).toBe(0)
    await look(eve, 'critique-reviewer')
    await look(pat, 'critique-facilitator')

    // A phone: a short header, no sideways scroll, and a switch between the two panes.
    await eve.setViewportSize(SIZES[2])
    await eve.waitForTimeout(150)
    const header = await eve.locator('.board-header').boundingBox()
    expect(header!.height).toBeLessThan(100)
    expect(await noSidewaysScroll(eve)).toBe(true)
    await editorOf(eve).waitFor({ state: 'visible' })
    await eve.getByTestId('pane-side').click()
    await cardOn(eve, 'Name the customer in the headline.').waitFor({ state: 'visible' })
    expect(await editorOf(eve).isVisible()).toBe(false)
    expect(await noSidewaysScroll(eve)).toBe(true)
    await screenshot(eve, 'meeting-critique-reviewer-390-cards')
    await eve.getByRole('button', { name: 'Document', exact: true }).click()
    await editorOf(eve).waitFor({ state: 'visible' })
    await eve.setViewportSize(DEFAULT)
  })

  it('discussion: every card beside the document, switchable to columns none of which is clipped', async () => {
    await advance(pat, 'Start discussion')
    await waitForPhase(eve, 'discussion')
    for (const page of [pat, eve]) {
      await cardOn(page, 'Which data leaves the EU?').waitFor()
      for (const size of LAPTOPS) {
        await page.setViewportSize(size)
        await page.evaluate(() => window.scrollTo(0, 0))
        await page.waitForTimeout(150)
        expect(await documentOnScreen(page), `document at ${size.width}`).toBe(true)
        const first = page.getByTestId('margin-list').getByTestId('card').first()
        expect(await onScreen(page, first), `a card at ${size.width}`).toBe(true)
        expect(await noSidewaysScroll(page)).toBe(true)
      }
    }
    // The overview: columns by function, in the document's place, none cut off at 1024 to 1920.
    await pat.getByTestId('layout-columns').click()
    for (const width of [1024, 1440, 1920]) {
      await pat.setViewportSize({ width, height: 900 })
      await pat.waitForTimeout(150)
      const columns = pat.locator('.column')
      expect(await columns.count()).toBeGreaterThanOrEqual(3)
      for (const col of await columns.all()) {
        const box = (await col.boundingBox())!
        expect(box.x).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width).toBeLessThanOrEqual(width)
      }
      expect(await noSidewaysScroll(pat)).toBe(true)
      await screenshot(pat, `meeting-discussion-columns-${width}`)
    }
    await pat.getByRole('button', { name: 'Beside the text' }).click()
    await pat.setViewportSize(DEFAULT)
    await look(pat, 'discussion-facilitator')
    await look(eve, 'discussion-reviewer')
  })

  it('a spotlit card is on screen for everyone at every size, and nobody typing is moved', async () => {
    // Eve is typing a reply, scrolled down the document.
    await eve.evaluate(() => window.scrollTo(0, 600))
    const reply = cardOn(eve, 'The FAQ never says what it costs.').getByRole('textbox').first()
    await reply.click()
    await eve.keyboard.type('Costs are in the internal FAQ')
    const before = await eve.evaluate(() => window.scrollY)
    await cardOn(pat, 'Which data leaves the EU?').getByRole('button', { name: 'Spotlight' }).click()
    const spot = eve.getByTestId('spotlight-card')
    await spot.getByText('Which data leaves the EU?').waitFor()
    expect(await eve.evaluate(() => window.scrollY)).toBe(before)
    expect(await reply.inputValue()).toBe('Costs are in the internal FAQ')
    expect(await eve.evaluate(() => document.activeElement?.tagName)).toBe('INPUT')
    for (const size of SIZES) {
      await eve.setViewportSize(size)
      await eve.waitForTimeout(150)
      expect(await onScreen(eve, spot, 400), `spotlight at ${size.width}`).toBe(true)
      expect(await noSidewaysScroll(eve)).toBe(true)
      await screenshot(eve, `meeting-spotlight-${size.width}`)
    }
    await eve.setViewportSize(DEFAULT)
    await reply.fill('')
    await pat.getByTestId('spotlight-card').getByRole('button', { name: 'End spotlight' }).click()
    await spot.waitFor({ state: 'hidden' })
  })

  it('[PH13] triage offers one primary step; a one-key accept can be undone', async () => {
    await advance(pat, 'Start triage')
    await phaseBarFocused(pat)
    await eve
      .getByTestId('now-line')
      .getByText(/the authors are deciding/)
      .waitFor()
    const moves = pat.getByRole('group', { name: 'Move the review' })
    await moves.getByRole('button', { name: 'Start decision' }).waitFor()
    expect(await moves.locator(':scope > .btn-primary').count()).toBe(1)
    const queue = pat.getByTestId('triage-queue')
    await queue.getByText('3 left').waitFor()
    const first = await queue.getByTestId('triage-current').innerText()
    await queue.locator('.queue').focus()
    await pat.keyboard.press('a')
    await queue.getByText('2 left').waitFor()
    await queue.getByTestId('triage-undo').waitFor()
    await queue.locator('.queue').focus()
    await pat.keyboard.press('z')
    await queue.getByText('3 left').waitFor()
    expect(await queue.getByTestId('triage-current').innerText()).toBe(first)
    // Accept everything (the last one sent when the window ends), Ctrl+Enter sends a reason.
    await queue.getByRole('button', { name: /Accept/ }).click()
    await queue.getByRole('button', { name: /Accept/ }).click()
    await queue.locator('.queue').focus()
    await pat.keyboard.press('r')
    await queue.getByLabel(/Why is it rejected/).fill('Covered elsewhere.')
    await pat.keyboard.press('Control+Enter')
    await queue.getByText('Every card is triaged.').waitFor()
    expect(
      await moves.locator(':scope > button', { hasText: 'Start revision' }).getAttribute('class'),
    ).toContain('btn-primary')
    await look(pat, 'triage-facilitator')
    await look(eve, 'triage-reviewer')
    // A phone: the header keeps the one primary step; the others are behind "More".
    await pat.setViewportSize(SIZES[2])
    const back = moves.getByRole('button', { name: 'Back to discussion' })
    expect(await moves.getByRole('button', { name: 'Start revision' }).isVisible()).toBe(true)
    expect(await back.isVisible()).toBe(false)
    await moves.getByTestId('more-steps').click()
    await back.waitFor({ state: 'visible' })
    expect(await onScreen(pat, back, 30)).toBe(true)
    await screenshot(pat, 'meeting-triage-facilitator-390-more')
    await moves.getByTestId('more-steps').click()
    await back.waitFor({ state: 'hidden' })
    await pat.setViewportSize(DEFAULT)
  })

  it('[RN6] revision says what starting reading does; round 2 reading starts at zero without a reload', async () => {
    await advance(pat, 'Start revision')
    await eve
      .getByTestId('now-line')
      .getByText(/the authors are revising/)
      .waitFor()
    await editorOf(pat).locator('p', { hasText: 'No jargon' }).click()
    await pat.keyboard.press('End')
    await pat.keyboard.type(' Families plan a week of meals in five minutes.')
    // The whole anchored passage typed over: its card's highlight follows the new words, it does
    // not close up to a character.
    await selectInDocument(pat, 'No jargon, no feature list')
    await pat.keyboard.type('Plain words, no lists')
    await pat.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()
    const cardId = await cardOn(eve, 'Name the customer in the headline.').getAttribute('data-card-id')
    await eve.waitForTimeout(500)
    const marked = await editorOf(eve)
      .locator(`.card-mark[data-card-id="${cardId}"]`)
      .evaluateAll((els) => els.map((e) => e.textContent ?? '').join(''))
    expect(marked.length === 0 || marked.length >= 5, `highlight "${marked}"`).toBe(true)
    await look(pat, 'revision-facilitator')
    await look(eve, 'revision-reviewer')
    const message = await advance(pat, 'Start reading')
    expect(message).toContain('Round 1 closes and round 2 starts')
    expect(message).toContain('Not ticked off yet')
    await waitForPhase(eve, 'reading')
    // Eve's own view and the facilitator's: round 2 starts from nothing.
    await eve.getByRole('button', { name: "I'm done reading" }).waitFor()
    const row = pat.getByTestId('reading-panel').locator('li', { hasText: 'Eve Eng' })
    await pat.waitForTimeout(2500) // past a report or two
    expect(await row.locator('.state').innerText()).not.toBe('Done')
    expect(await eve.getByTestId('my-progress').innerText()).not.toContain('100%')
    await editorOf(eve).locator('ins.diff-ins').first().waitFor()
    await look(eve, 'reading-round2-reviewer')
  })

  it('[RD4] the change marks stay in round-2 critique; decision: no pre-filled choice, record decision in the header, iterate confirmed and shown', async () => {
    await eve.getByRole('button', { name: "I'm done reading" }).click()
    await lee.getByRole('button', { name: "I'm done reading" }).click()
    await advance(pat, 'Start critique')
    await waitForPhase(eve, 'critique')
    await editorOf(eve).locator('ins.diff-ins').first().waitFor()
    await eve.getByTestId('what-changed').waitFor()
    await advance(pat, 'Start discussion')
    await advance(pat, 'Start triage')
    await advance(pat, 'Start decision')
    await waitForPhase(lee, 'decision')
    await pat.getByTestId('record-decision').click()
    await pat.waitForFunction(() => document.activeElement?.closest('#decision-record') !== null)
    expect(await pat.locator('#decision-record input:checked').count()).toBe(0)
    expect(await lee.locator('form.signoff input:checked').count()).toBe(0)
    await look(pat, 'decision-facilitator')
    await look(lee, 'decision-decider')
    const panel = pat.getByTestId('decision-panel')
    await panel.getByRole('radio', { name: /^Iterate — / }).check()
    await panel.getByLabel('Summary').fill('Iterate: the EU data question needs a real answer.')
    await panel.getByRole('button', { name: 'Record iterate' }).click()
    const dialog = pat.getByRole('dialog', { name: 'Record iterate?' })
    await dialog.getByRole('button', { name: 'Record iterate' }).click()
    await waitForPhase(eve, 'revision')
    await eve.getByTestId('iterate-banner').getByText('the EU data question needs a real answer').waitFor()
    await look(eve, 'revision-after-iterate-reviewer')
    expect(problems).toEqual([])
  })
})
