import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  advance,
  cardOn,
  pantryPlanCast,
  selectInDocument,
  sessionOf,
  waitForPhase,
  writeCard,
} from './critique.helpers'
import { editorOf, expectAxeClean, screenshot, useStage } from './harness'
import { SCREENS_DIR } from './paths'

/**
 * Issue 5 in the browser: Pat (facilitator-author), Eve (engineering reviewer) and Lee (legal
 * decider) run two rounds and a decision; the what-changed view, the chart, the checks and the
 * decision panel show live for everyone; the printable export renders.
 */
describe('rounds, convergence and the decision in Chromium', () => {
  const stage = useStage()
  let pat: Page
  let eve: Page
  let lee: Page
  const everyone = () => [pat, eve, lee]

  beforeAll(async () => {
    ;({ pat, eve, lee } = await pantryPlanCast(stage, 'decider'))
  })

  it('[RN1] [RN2] round 1 closes with its statistics; round 2 reading shows what changed', async () => {
    await advance(pat, 'Start reading')
    await advance(pat, 'Start critique')
    await writeCard(eve, {
      quote: 'No jargon, no feature list',
      body: 'Name the customer.',
      severity: 'Structural',
    })
    await writeCard(lee, {
      quote: 'Privacy, regulation',
      body: 'Which data leaves the EU?',
      severity: 'Fatal',
    })
    await advance(pat, 'Start discussion')
    await advance(pat, 'Start triage')
    const queue = pat.getByTestId('triage-queue')
    for (let left = 2; left > 0; left--) {
      await queue.getByRole('button', { name: /Accept/ }).click()
      await queue.getByText(`${left - 1} left`).waitFor()
    }
    await advance(pat, 'Start revision')
    // The author revises: a new sentence in the solution.
    await editorOf(pat).locator('p', { hasText: 'No jargon' }).click()
    await pat.keyboard.press('End')
    await pat.keyboard.type(' Families plan a week of meals in five minutes.')
    // Rewriting a card's passage marks the card on everyone's board [ANC].
    await selectInDocument(pat, 'regulation')
    await pat.keyboard.type('rules')
    await pat.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()
    await cardOn(eve, 'Which data leaves the EU?').getByText('Passage edited').waitFor()

    const message = await advance(pat, 'Start reading')
    expect(message).toMatch(/Round 1 closes and round 2 starts/) // [RN6]
    for (const p of everyone()) {
      await p.getByText('Round 2', { exact: true }).waitFor()
      const changes = p.getByTestId('what-changed')
      await changes.getByText('What changed since round 1').waitFor()
      // Marked in the document itself: the added sentence highlighted, the replaced word struck through.
      await editorOf(p).locator('ins.diff-ins', { hasText: 'Families plan a week of meals' }).waitFor()
      await editorOf(p).locator('del.diff-del', { hasText: 'regulation' }).waitFor()
      await editorOf(p).locator('ins.diff-ins', { hasText: 'rules' }).waitFor()
    }
    // Only the word changed: the comma after it is not part of either mark [DIFF1].
    expect(await editorOf(eve).locator('del.diff-del', { hasText: 'regulation' }).innerText()).toBe(
      'regulation',
    )
    expect(await editorOf(eve).locator('ins.diff-ins', { hasText: 'rules' }).innerText()).toBe('rules')
    // Togglable.
    const toggle = eve.getByLabel('Show changes since round 1')
    await toggle.uncheck()
    await expect.poll(() => editorOf(eve).locator('ins.diff-ins, del.diff-del').count()).toBe(0)
    await toggle.check()
    await editorOf(eve).locator('ins.diff-ins', { hasText: 'Families plan' }).waitFor()
    // The per-section summary, one click away.
    const changes = eve.getByTestId('what-changed')
    await changes.getByRole('button', { name: 'Summary per section' }).click()
    await changes.locator('ins', { hasText: 'Families plan a week of meals' }).waitFor()
    await screenshot(eve, 'rounds-what-changed')
    await changes.getByRole('button', { name: 'Hide summary' }).click()

    // Round 1's statistics in the history and the chart, for everyone.
    for (const p of everyone()) {
      const history = p.getByTestId('round-history')
      await history.locator('tr', { hasText: 'revised' }).getByText('1 / 1 / 0').waitFor()
      await p.getByTestId('convergence').locator('svg text', { hasText: 'R1' }).waitFor()
      await p
        .getByTestId('convergence-reading')
        .getByText(/Round 1 still raised 1 fatal card and 1 structural card/)
        .waitFor()
    }
  })

  it('[TR8] round 2 brings only minor critique; leaving triage names the untriaged count; rounds compare side by side', async () => {
    await advance(pat, 'Start critique')
    await writeCard(eve, { quote: 'Families plan a week', body: 'Say which families.', severity: 'Minor' })
    await advance(pat, 'Start discussion')
    await advance(pat, 'Start triage')
    await pat.getByTestId('triage-queue').getByText('1 left').waitFor()
    const message = await advance(pat, 'Start decision')
    expect(message).toContain('1 card is not triaged yet')
    for (const p of everyone()) await waitForPhase(p, 'decision')
    // The compare view: round 1 beside round 2, section by section.
    const compare = eve.getByTestId('round-compare')
    await compare.locator('.after ins', { hasText: 'Families plan a week of meals' }).waitFor()
    await compare.scrollIntoViewIfNeeded()
    await screenshot(eve, 'rounds-compare')
  })

  it('[DC1] [DC7] [DC5] [RN5] sign-offs show live; go freezes the reference version; the chart reads ready; the export renders', async () => {
    for (const p of everyone()) {
      await p.getByTestId('decision-panel').waitFor()
      await p.getByTestId('checks-panel').waitFor()
      expect(await p.getByTestId('check').count()).toBeGreaterThan(0)
    }
    const panel = lee.getByTestId('decision-panel')
    await panel.getByText('Approve', { exact: true }).click()
    await panel.getByLabel('Rationale').fill('Only minor critique left; the FAQ answers the EU question.')
    await panel.getByLabel(/Conditions/).fill('Legal reviews the privacy copy before launch.')
    await panel.getByRole('button', { name: 'Sign off' }).click()
    for (const p of [pat, eve]) {
      const row = p.getByTestId('signoff').filter({ hasText: 'Lee Legal' })
      await row.getByText('Only minor critique left').waitFor()
      await row.locator('.chip', { hasText: 'Approve' }).waitFor()
    }
    await expectAxeClean(pat, 'decision-facilitator')

    const record = pat.getByTestId('decision-panel')
    await record.getByRole('radio', { name: /^Go — / }).check()
    await record.getByLabel('Summary').fill('Go: launch in the spring with the legal condition.')
    await record.getByRole('button', { name: 'Record go' }).click()
    await pat.getByRole('dialog').getByRole('button', { name: 'Record go' }).click()
    for (const p of everyone()) {
      await p.getByTestId('outcome-banner').getByText('this is the frozen reference version').waitFor()
      await waitForPhase(p, 'closed')
      // Round 2 closed with only minor critique: the board's reading of the chart [RN5].
      await p
        .getByTestId('convergence-reading')
        .getByText(/only minor refinements/)
        .waitFor()
    }
    await screenshot(eve, 'decision-closed-go')

    // The printable export, as the "Printable page" button fetches it.
    const { reviewId, token } = await sessionOf(eve)
    const res = await fetch(`${stage.url}/api/reviews/${reviewId}/export.html`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Families plan a week of meals')
    expect(html).toContain('Which data leaves the EU?')
    const exportPage = await stage.browser.newPage({ viewport: { width: 900, height: 1100 } })
    await exportPage.setContent(html, { waitUntil: 'load' })
    fs.mkdirSync(SCREENS_DIR, { recursive: true })
    await exportPage.screenshot({ path: `${SCREENS_DIR}/export-html.png`, fullPage: false })
    await exportPage.close()
  })
})
