import { describe, expect, it } from 'vitest'
import { createReviewInPage, editorOf, expectAxeClean, joinInPage, newPage, useStage } from './harness'

/** Every page passes axe-core with no serious or critical violation (DESIGN §6, WCAG 2.2 AA). */
describe('accessibility in Chromium', () => {
  const stage = useStage()

  it('[W1] start, join and board pages (draft and reading) have no serious or critical violations', async () => {
    const fac = await newPage(stage.browser, { bypassCSP: true })
    const guest = await newPage(stage.browser, { bypassCSP: true })

    await fac.page.goto(stage.url)
    await fac.page.getByLabel('Review title').waitFor()
    await expectAxeClean(fac.page, 'start')
    await fac.page.getByLabel('Bring my own Markdown').check()
    await expectAxeClean(fac.page, 'start-markdown')
    await fac.page.getByLabel('Start from the PR/FAQ template').check()

    const links = await createReviewInPage(fac.page, stage.url, 'Accessible review', 'Fay Facilitator')
    await expectAxeClean(fac.page, 'start-invites')

    await guest.page.goto(links.reviewer)
    await guest.page.getByLabel('Your name').waitFor()
    // The join page names the review and the role before anyone joins.
    await guest.page
      .getByTestId('invite-summary')
      .filter({ hasText: "You're invited to review “Accessible review” as a reviewer." })
      .waitFor()
    await expectAxeClean(guest.page, 'join')
    // The invite page tells the browser to send no referrer (W1).
    expect(await guest.page.locator('meta[name="referrer"]').getAttribute('content')).toBe('no-referrer')
    await joinInPage(guest.page, links.reviewer, 'Rita Reviewer', 'legal')

    await fac.page.getByRole('button', { name: 'Open the board' }).click()
    await editorOf(fac.page).waitFor()
    await editorOf(guest.page).waitFor()
    for (const summary of ['People and roles', 'Invite links', 'Review settings']) {
      await fac.page.locator('summary', { hasText: summary }).click()
    }
    await expectAxeClean(fac.page, 'a11y-board-draft-facilitator')
    await expectAxeClean(guest.page, 'a11y-board-draft-reviewer')

    await fac.page.getByRole('button', { name: 'Start reading' }).click()
    await expectAxeClean(fac.page, 'a11y-board-confirm-dialog')
    await fac.page.getByRole('dialog').getByRole('button', { name: 'Start reading' }).click()
    await guest.page.getByText('Reading — the document is locked.').waitFor()
    await fac.page.getByLabel('Timer (minutes)').fill('3')
    await fac.page.getByRole('button', { name: 'Start timer' }).click()
    await guest.page.getByTestId('timer').waitFor()
    await expectAxeClean(fac.page, 'a11y-board-reading-facilitator')
    await expectAxeClean(guest.page, 'a11y-board-reading-reviewer')

    // A dead (rotated or mistyped) link says so instead of offering a form that cannot work.
    const stranger = await newPage(stage.browser, { bypassCSP: true })
    await stranger.page.goto(`${stage.url}/join/no-such-invite-code`)
    await stranger.page.getByRole('heading', { name: 'This invite link does not work' }).waitFor()
    expect(await stranger.page.getByLabel('Your name').count()).toBe(0)
    await expectAxeClean(stranger.page, 'join-dead-link')

    await fac.context.close()
    await guest.context.close()
    await stranger.context.close()
  })
})
