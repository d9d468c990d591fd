import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { advance, waitForPhase, writeCard } from './critique.helpers'
import {
  editorOf,
  expectAxeClean,
  joinInPage,
  newPage,
  openReview,
  participantIdOf,
  screenshot,
  useStage,
} from './harness'

/**
 * People without accounts, on any device (docs/SPEC.md PA10–PA12): the same invite opened again
 * is the same person; a return link opens the board as that person anywhere; every facilitator
 * copies working invite links; a duplicate entry merges into the original.
 */
const sessionsOf = (page: Page) =>
  page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('prfaq-board.sessions') ?? '{}')).length)

const peopleNamed = (page: Page, name: string) =>
  page.getByTestId('facilitator-panel').getByTestId('admin-participant').filter({ hasText: name })

async function openPeople(page: Page) {
  const summary = page.getByTestId('facilitator-panel').locator('summary', { hasText: 'People and roles' })
  if ((await summary.locator('..').getAttribute('open')) === null) await summary.click()
}

describe('people without accounts in Chromium', () => {
  const stage = useStage()

  it('[PA8][PA11] the same invite opened again is the same person; the return link works in a fresh browser', async () => {
    const fac = await newPage(stage.browser)
    const eli = await newPage(stage.browser, { bypassCSP: true })
    const links = await openReview(stage.url, fac.page, 'Continuity', 'Fay Facilitator', {
      page: eli.page,
      role: 'reviewer',
      name: 'Eli Tanaka',
      fn: 'engineering',
    })
    const first = await participantIdOf(eli.page)

    // Right after joining, the board shows Eli's personal return link.
    const note = eli.page.getByTestId('arrival-note')
    await note.getByRole('heading', { name: 'Your personal return link' }).waitFor()
    const returnUrl = await note.getByRole('textbox', { name: 'Return link' }).inputValue()
    expect(returnUrl).toMatch(/\/back\/[A-Za-z0-9_-]{22,}$/)
    await expectAxeClean(eli.page, 'people-arrival-joined')
    await note.getByRole('button', { name: 'Got it' }).click()
    await note.waitFor({ state: 'detached' })

    // The invite again, in the same browser: the board as Eli, not a second Eli.
    await eli.page.goto(links.reviewer)
    await eli.page.waitForURL(/\/r\//)
    await eli.page.getByRole('heading', { name: 'Welcome back, Eli Tanaka' }).waitFor()
    expect(await participantIdOf(eli.page)).toBe(first)
    expect(await sessionsOf(eli.page)).toBe(1)
    await openPeople(fac.page)
    await expect.poll(() => peopleNamed(fac.page, 'Eli Tanaka').count()).toBe(1)
    await screenshot(eli.page, 'people-arrival-returning')

    // "Join as someone else" is one click away and says what it does.
    await eli.page.getByRole('link', { name: 'Join as someone else' }).click()
    await eli.page.getByRole('heading', { name: 'Join as someone else' }).waitFor()
    await eli.page.getByTestId('join-again-note').getByText('Eli Tanaka', { exact: true }).waitFor()
    await expectAxeClean(eli.page, 'people-join-as-someone-else')

    // A fresh browser (another device): the return link opens the board as Eli.
    const phone = await newPage(stage.browser, { bypassCSP: true })
    await phone.page.goto(returnUrl)
    await phone.page.waitForURL(/\/r\//)
    await editorOf(phone.page).locator('h1').waitFor()
    expect(await participantIdOf(phone.page)).toBe(first)
    await phone.page.getByTestId('you-menu').locator('summary').click()
    const menu = phone.page.getByTestId('you-menu')
    await menu.getByText('You are Eli Tanaka in this review.').waitFor()
    expect(await menu.getByRole('textbox', { name: 'Your return link' }).inputValue()).toBe(returnUrl)
    await expectAxeClean(phone.page, 'people-you-menu')
    await Promise.all([fac.context.close(), eli.context.close(), phone.context.close()])
  })

  it('[PA11] rotating the return link makes the old one fail; the new one opens the board', async () => {
    const fac = await newPage(stage.browser)
    const eli = await newPage(stage.browser)
    await openReview(stage.url, fac.page, 'Rotation', 'Fay Facilitator', {
      page: eli.page,
      role: 'reviewer',
      name: 'Eli Tanaka',
      fn: 'engineering',
    })
    const menu = eli.page.getByTestId('you-menu')
    await menu.locator('summary').click()
    const field = menu.getByRole('textbox', { name: 'Your return link' })
    await field.waitFor()
    const old = await field.inputValue()
    await menu.getByRole('button', { name: 'New link' }).click()
    const dialog = eli.page.getByRole('dialog', { name: 'Make a new return link?' })
    await dialog.getByRole('button', { name: 'Make new link' }).click()
    await menu.getByText('New link made; the old one no longer works.').waitFor()
    const fresh = await field.inputValue()
    expect(fresh).not.toBe(old)

    const other = await newPage(stage.browser, { bypassCSP: true })
    await other.page.goto(old)
    await other.page.getByRole('heading', { name: 'This return link does not work' }).waitFor()
    await expectAxeClean(other.page, 'people-return-link-dead')
    await other.page.goto(fresh)
    await other.page.waitForURL(/\/r\//)
    await editorOf(other.page).locator('h1').waitFor()
    expect(await participantIdOf(other.page)).toBe(await participantIdOf(eli.page))
    await Promise.all([fac.context.close(), eli.context.close(), other.context.close()])
  })

  it('[PA12] a co-facilitator on another device copies a working invite link', async () => {
    const fac = await newPage(stage.browser)
    const cora = await stage.browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true })
    await cora.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stage.url })
    const coraPage = await cora.newPage()
    const links = await openReview(stage.url, fac.page, 'Co-facilitation', 'Fay Facilitator', {
      page: coraPage,
      role: 'author',
      name: 'Cora Cofac',
      fn: 'design',
    })
    await openPeople(fac.page)
    await peopleNamed(fac.page, 'Cora Cofac').getByRole('checkbox', { name: 'Facilitator' }).check()

    const panel = coraPage.getByTestId('facilitator-panel')
    await panel.waitFor()
    await panel.locator('summary', { hasText: 'Invite links' }).click()
    const reviewerLink = panel.getByRole('textbox', { name: 'Reviewer link' })
    await reviewerLink.waitFor()
    expect(await reviewerLink.inputValue()).toBe(links.reviewer)
    await panel.getByRole('button', { name: 'Copy Reviewer link' }).click()
    const copied = await coraPage.evaluate(() => navigator.clipboard.readText())
    expect(copied).toBe(links.reviewer)
    await expectAxeClean(coraPage, 'people-cofacilitator-invites')

    const newcomer = await newPage(stage.browser)
    await joinInPage(newcomer.page, copied, 'Nia Newcomer', 'legal')
    await editorOf(newcomer.page).locator('h1').waitFor()
    await Promise.all([fac.context.close(), cora.close(), newcomer.context.close()])
  })

  it('[PA10] merging a duplicate moves its card to the original and removes it from every list', async () => {
    const fac = await newPage(stage.browser, { bypassCSP: true })
    const eli = await newPage(stage.browser)
    const eliAgain = await newPage(stage.browser)
    const links = await openReview(stage.url, fac.page, 'Merge', 'Fay Facilitator', {
      page: eli.page,
      role: 'reviewer',
      name: 'Eli Tanaka',
      fn: 'engineering',
    })
    await joinInPage(eliAgain.page, links.reviewer, 'Eli Tanaka', 'engineering')
    await editorOf(eliAgain.page).locator('h1').waitFor()

    await advance(fac.page, 'Start reading')
    await advance(fac.page, 'Start critique')
    await waitForPhase(eliAgain.page, 'critique')
    await writeCard(eliAgain.page, { body: 'Who pays for the pantry scanner?', severity: 'Structural' })
    await eliAgain.page.getByText('You have written 1').waitFor()
    await eli.page.getByText('You have written 0').waitFor()

    await openPeople(fac.page)
    await fac.page.getByTestId('duplicate-hint').waitFor()
    await expect.poll(() => peopleNamed(fac.page, 'Eli Tanaka').count()).toBe(2)
    const dupId = await participantIdOf(eliAgain.page)
    const dupRow = fac.page
      .getByTestId('admin-participant')
      .filter({ has: fac.page.getByRole('button', { name: 'Merge Eli Tanaka into…' }) })
      .nth(1)
    await dupRow.getByRole('button', { name: 'Merge Eli Tanaka into…' }).click()
    const dialog = fac.page.getByRole('dialog', { name: 'Merge Eli Tanaka into someone?' })
    await dialog.waitFor()
    await screenshot(fac.page, 'people-merge-dialog')
    const kept = await dialog.getByLabel('Keep this entry').inputValue()
    expect(kept).not.toBe(dupId)
    await dialog.getByRole('button', { name: 'Merge' }).click()

    // The original now owns the card; the duplicate's board is closed; one Eli everywhere.
    await eli.page.getByText('You have written 1').waitFor()
    await eliAgain.page.getByRole('heading', { name: 'You are no longer on this board' }).waitFor()
    await expect.poll(() => peopleNamed(fac.page, 'Eli Tanaka').count()).toBe(1)
    await fac.page.getByTestId('duplicate-hint').waitFor({ state: 'detached' })
    await expect
      .poll(
        async () =>
          (await fac.page.getByTestId('presence').allInnerTexts()).filter((t) => t.includes('Eli Tanaka'))
            .length,
      )
      .toBe(1)
    await eliAgain.page.reload()
    await eliAgain.page
      .getByRole('heading', { name: /You are no longer on this board|have not joined/ })
      .waitFor()
    await expectAxeClean(fac.page, 'people-after-merge')
    await Promise.all([fac.context.close(), eli.context.close(), eliAgain.context.close()])
  })
})
