import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  advance,
  cardOn,
  pantryPlanCast,
  selectInDocument,
  waitForPhase,
  writeCard,
} from './critique.helpers'
import { editorOf, expectAxeClean, screenshot, useStage } from './harness'

/**
 * Issue 4 in the browser: a facilitator-author (Pat, product) and two reviewers (Eve, engineering;
 * Lee, legal) go through blind critique, the reveal, discussion and triage. The steps build on
 * each other, so the tests run in order on one review.
 */
/** The passage each anchored card quotes, to find its highlight in the document. */
const QUOTES: Record<string, string> = {
  'Eve: the solution names no customer.': 'No jargon, no feature list',
  'Eve: onboarding steps are missing.': 'how they start',
  'Lee: which data leaves the EU?': 'Privacy, regulation, contracts',
  'Lee: onboarding is thin too.': 'Who could copy it',
}

describe('critique, discussion and triage in Chromium', () => {
  const stage = useStage()
  let pat: Page
  let eve: Page
  let lee: Page

  beforeAll(async () => {
    ;({ pat, eve, lee } = await pantryPlanCast(stage, 'reviewer'))
    await advance(pat, 'Start reading')
    await advance(pat, 'Start critique')
    for (const p of [pat, eve, lee]) await waitForPhase(p, 'critique')
  })

  it('[CD1] [CV1] [CV5] reviewers write anchored cards in blind critique and see only their own', async () => {
    // A mouse selection (of a passage on screen, as with a mouse) offers a floating "Add card"
    // beside it; the form opens on that passage.
    await editorOf(eve).getByText('No jargon, no feature list').scrollIntoViewIfNeeded()
    await selectInDocument(eve, 'No jargon, no feature list')
    await eve.getByTestId('selection-card-button').click()
    const eveForm = eve.getByTestId('card-composer')
    await eveForm.locator('blockquote', { hasText: 'No jargon, no feature list' }).waitFor()
    await eveForm.getByLabel('Critique').fill('Eve: the solution names no customer.')
    await eveForm.getByRole('button', { name: 'Add card', exact: true }).click()
    await eveForm.getByRole('button', { name: 'General card' }).waitFor()
    expect(await eve.getByTestId('selection-card-button').count()).toBe(0)
    await writeCard(eve, {
      quote: 'how they start',
      body: 'Eve: onboarding steps are missing.',
      severity: 'Minor',
      kind: 'Suggestion',
    })
    await writeCard(eve, { body: 'Eve: what does it cost to run?', severity: 'Minor', kind: 'Question' })
    // From the keyboard alone: the read-only document cannot be selected, so the passage is quoted.
    const leeForm = lee.getByTestId('card-composer')
    await leeForm.getByRole('button', { name: 'General card' }).focus()
    await lee.keyboard.press('Enter')
    await expect.poll(() => lee.evaluate(() => document.activeElement?.id)).toBe('new-card-quote')
    await lee.keyboard.type('privacy,  regulation, contractz')
    await leeForm
      .getByTestId('quote-status')
      .getByText(/Not found in the document/)
      .waitFor()
    expect(await leeForm.getByRole('button', { name: 'Add card', exact: true }).isDisabled()).toBe(true)
    await lee.keyboard.press('Backspace')
    await lee.keyboard.type('s')
    await leeForm
      .getByTestId('quote-status')
      .getByText(/Found in “What are the legal and compliance risks\?”/)
      .waitFor()
    await leeForm.getByText('Fatal', { exact: true }).click()
    await leeForm.getByLabel('Kind').selectOption({ label: 'Question' })
    await leeForm.getByLabel('Critique').fill('Lee: which data leaves the EU?')
    await leeForm.getByRole('button', { name: 'Add card', exact: true }).click()
    await cardOn(lee, 'Lee: which data leaves the EU?')
      .locator('.quote', { hasText: 'Privacy, regulation, contracts' })
      .waitFor()
    await writeCard(lee, {
      quote: 'Who could copy it',
      body: 'Lee: onboarding is thin too.',
      severity: 'Minor',
    })

    await cardOn(eve, 'Eve: the solution names no customer.').waitFor()
    expect(await eve.getByTestId('card').count()).toBe(3)
    expect(await eve.getByText('Lee: which data leaves the EU?').count()).toBe(0)
    expect(await lee.getByText('Eve: the solution names no customer.').count()).toBe(0)
    await eve.getByTestId('hidden-counts').getByText('Legal: 2 cards written').waitFor()
    await pat.getByTestId('hidden-counts').getByText('Engineering: 3 cards written').waitFor()
    // Own anchored cards are highlighted in the author's document only.
    await eve.locator('.prfaq-doc .card-mark').first().waitFor()
    expect(await eve.locator('.prfaq-doc .card-mark').count()).toBe(2)
    await expectAxeClean(eve, 'critique-reviewer')
  })

  it('[CV2] after the reveal every card is beside the document, in its function’s column and highlighted for everyone', async () => {
    await advance(pat, 'Start discussion')
    for (const p of [pat, eve, lee]) {
      // Beside the document first; the columns by function one switch away.
      await p.getByTestId('margin-list').getByText('Lee: which data leaves the EU?').waitFor()
      await p.getByTestId('layout-columns').click()
      await p.locator('[data-function="legal"]').getByText('Lee: which data leaves the EU?').waitFor()
      await p
        .locator('[data-function="engineering"]')
        .getByText('Eve: the solution names no customer.')
        .waitFor()
      await p.getByRole('button', { name: 'Beside the text' }).click()
      await expect.poll(() => p.locator('.prfaq-doc .card-mark').count()).toBe(4)
    }
    // A highlight opens its card; a card's quote shows its passage.
    await pat.locator('.prfaq-doc .card-mark', { hasText: 'Privacy, regulation, contracts' }).click()
    await expect
      .poll(() => cardOn(pat, 'Lee: which data leaves the EU?').getAttribute('class'))
      .toContain('open')
    await cardOn(pat, 'Eve: the solution names no customer.').locator('.quote').click()
    await pat.locator('.prfaq-doc .card-flash').waitFor()
    await expectAxeClean(pat, 'discussion-facilitator')
  })

  it('[VT1] [VT5] [CD6] [CD7] a vote, a reply and the spotlight show live for the others', async () => {
    await cardOn(eve, 'Lee: which data leaves the EU?')
      .getByRole('button', { name: /Vote for this card/ })
      .click()
    await cardOn(lee, 'Lee: which data leaves the EU?').getByText('1 votes').waitFor()
    await cardOn(pat, 'Lee: which data leaves the EU?').locator('.vote', { hasText: '1' }).waitFor()
    await eve.getByTestId('votes-left').getByText('4 of 5 votes left').waitFor()

    const reply = cardOn(lee, 'Eve: the solution names no customer.').getByLabel('Reply to this card')
    await reply.fill('Lee: agreed, name the household.')
    await reply.press('Enter')
    await cardOn(eve, 'Eve: the solution names no customer.')
      .getByText('Lee: agreed, name the household.')
      .waitFor()
    await cardOn(pat, 'Eve: the solution names no customer.')
      .getByText('Lee: agreed, name the household.')
      .waitFor()

    await cardOn(pat, 'Eve: onboarding steps are missing.').getByRole('button', { name: 'Spotlight' }).click()
    for (const p of [eve, lee]) {
      await expect
        .poll(() => cardOn(p, 'Eve: onboarding steps are missing.').getAttribute('class'))
        .toContain('spotlit')
    }
    await screenshot(eve, 'discussion-reviewer-spotlight')
  })

  it('[TR1]-[TR5] [TR8] the PM triages one card of each disposition from the keyboard', async () => {
    await advance(pat, 'Start triage')
    const queue = pat.getByTestId('triage-queue')
    await queue.getByText('5 left').waitFor()
    await expectAxeClean(pat, 'triage-facilitator')
    const focusCard = () => queue.locator('.queue').focus()
    const current = () => queue.getByTestId('triage-current').innerText()
    const done: Record<string, string> = {}

    let body = await current()
    await focusCard()
    await pat.keyboard.press('a')
    done[body] = 'Accepted'
    await queue.getByText('4 left').waitFor()

    body = await current()
    await focusCard()
    await pat.keyboard.press('r')
    await queue.getByLabel(/Why is it rejected/).fill('Out of scope for launch.')
    await queue.getByRole('button', { name: 'Reject', exact: true }).last().click()
    done[body] = 'Rejected'
    await queue.getByText('3 left').waitFor()

    body = await current()
    await focusCard()
    await pat.keyboard.press('d')
    done[body] = 'Deferred'
    await queue.getByText('2 left').waitFor()

    body = await current()
    await focusCard()
    await pat.keyboard.press('u')
    const pick = queue.getByLabel('Which card does it repeat?')
    await pick.selectOption({ index: 1 })
    await queue.getByRole('button', { name: 'Mark duplicate' }).click()
    done[body] = 'Duplicate'
    await queue.getByText('1 left').waitFor()

    body = await current()
    await focusCard()
    await pat.keyboard.press('f')
    await queue.getByLabel(/The answer/).fill('About 40 cents per household a month.')
    await queue.getByRole('button', { name: 'Add to FAQ' }).click()
    done[body] = 'Answered in FAQ'
    await queue.getByText('Every card is triaged.').waitFor()

    for (const [cardBody, label] of Object.entries(done)) {
      await cardOn(eve, cardBody).getByTestId('disposition').filter({ hasText: label }).waitFor()
    }
    // In the document, set-aside cards fade back; accepted and answered ones read differently.
    const look: Record<string, string> = {
      Accepted: 'is-accepted',
      Rejected: 'is-dimmed',
      Duplicate: 'is-dimmed',
      'Answered in FAQ': 'is-answered',
      Deferred: 'sev-',
    }
    for (const [cardBody, label] of Object.entries(done)) {
      const quote = QUOTES[cardBody]
      if (!quote) continue
      const mark = eve.locator(`.prfaq-doc .card-mark[class*="${look[label]}"]`, { hasText: quote })
      await mark.first().waitFor()
    }
    const dimmed = Object.values(done).filter((l) => l === 'Rejected' || l === 'Duplicate')
    const dimmedAnchored = Object.entries(done).filter(
      ([b, l]) => QUOTES[b] && (l === 'Rejected' || l === 'Duplicate'),
    ).length
    expect(dimmed.length).toBe(2)
    await expect.poll(() => eve.locator('.prfaq-doc .card-mark.is-dimmed').count()).toBe(dimmedAnchored)
    await screenshot(pat, 'triage-done')
  })

  it('[RV1] the revision plan lists the accepted card, links to its passage and is ticked off', async () => {
    await advance(pat, 'Start revision')
    const plan = pat.getByTestId('revision-checklist')
    await plan.getByText('0/1 done').waitFor()
    await plan.getByRole('checkbox').check()
    await plan.getByText('1/1 done').waitFor()
    await eve.getByTestId('revision-checklist').getByText('1/1 done').waitFor()
    await screenshot(pat, 'revision-facilitator')
  })
})
