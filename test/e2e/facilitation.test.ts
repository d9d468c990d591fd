import { describe, expect, it } from 'vitest'
import { advance, cardOn, waitForPhase } from './critique.helpers'
import { editorOf, newPage, openReview, participantIdOf, useStage } from './harness'

/** The facilitator's tools and the lock, as people meet them in the browser. */
describe('facilitation in Chromium', () => {
  const stage = useStage()

  it('[R3] [RD1] edits made offline are refused after the lock, and the editor resets to the server state', async () => {
    const fac = await newPage(stage.browser)
    const author = await newPage(stage.browser)
    await openReview(stage.url, fac.page, 'Offline lock', 'Fay Facilitator', {
      page: author.page,
      role: 'author',
      name: 'Abe Author',
      fn: 'product',
    })

    // The author loses the connection, keeps typing in draft…
    const authorId = await participantIdOf(author.page)
    await author.context.setOffline(true)
    for (const s of await stage.app.io.fetchSockets())
      if (s.data.participantId === authorId) s.disconnect(true)
    await author.page
      .getByTestId('connection')
      .filter({ hasText: /Reconnecting|Offline/ })
      .waitFor()
    await editorOf(author.page).click()
    await author.page.keyboard.press('Control+End')
    await author.page.keyboard.type(' OFFLINE EDIT')
    await author.page.getByTestId('save-status').filter({ hasText: 'Not saved' }).waitFor()

    // …while the facilitator opens reading. Back online, the edit is refused and dropped.
    await advance(fac.page, 'Start reading')
    await author.context.setOffline(false)
    await author.page.getByText('Reading — the document is locked.').waitFor({ timeout: 20_000 })
    await author.page.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor()
    await author.page.waitForFunction(
      () => !document.querySelector('.prfaq-doc')?.textContent?.includes('OFFLINE EDIT'),
    )
    expect(await editorOf(fac.page).innerText()).not.toContain('OFFLINE EDIT')
    await fac.context.close()
    await author.context.close()
  })

  it('[NT1] [PA5] [PA7] private notes stay private; a removed participant is shown out; a rotated link is new', async () => {
    const fac = await newPage(stage.browser)
    const rev = await newPage(stage.browser)
    await openReview(stage.url, fac.page, 'Notes and removal', 'Fay Facilitator', {
      page: rev.page,
      role: 'reviewer',
      name: 'Rita Reviewer',
      fn: 'legal',
    })
    await advance(fac.page, 'Start reading')
    await rev.page.getByText('Reading — the document is locked.').waitFor()

    // A note tied to the selected passage.
    await rev.page.locator('.prfaq-doc h2').first().selectText()
    await rev.page.getByLabel(/^About “/).check()
    await rev.page.getByLabel('New note').fill('Is the subheadline too long?')
    await rev.page.getByRole('button', { name: 'Save note' }).click()
    const note = rev.page.getByTestId('note').filter({ hasText: 'Is the subheadline too long?' })
    await note.waitFor()
    expect(await note.locator('blockquote').innerText()).toContain('Subheadline')
    await fac.page.waitForTimeout(300)
    expect(await fac.page.getByTestId('note').count()).toBe(0)

    // In critique the note is listed once, where it can become a card [NT4].
    await advance(fac.page, 'Start critique')
    await waitForPhase(rev.page, 'critique')
    const listed = rev.page.getByTestId('note').filter({ hasText: 'Is the subheadline too long?' })
    await rev.page.getByTestId('notes-to-cards').waitFor()
    expect(await listed.count()).toBe(1)
    expect(await rev.page.getByTestId('notes-panel').count()).toBe(0)
    await listed.getByRole('button', { name: 'Make it a card' }).click()
    await cardOn(rev.page, 'Is the subheadline too long?')
      .locator('.quote', { hasText: 'Subheadline' })
      .waitFor()
    await rev.page.getByTestId('notes-to-cards').waitFor({ state: 'detached' })

    // Rotating the reviewer link gives a new address.
    await fac.page.locator('summary', { hasText: 'Invite links' }).click()
    const field = fac.page.getByRole('textbox', { name: 'Reviewer link' })
    const old = await field.inputValue()
    await fac.page.getByTestId('facilitator-panel').getByRole('button', { name: 'New link' }).nth(1).click()
    // Each confirmation is named by its own title (no shared id) [W1].
    await fac.page
      .getByRole('dialog', { name: 'New reviewer link?' })
      .getByRole('button', { name: 'Make new link' })
      .click()
    await fac.page.waitForFunction(
      (before) =>
        (document.querySelector('input[aria-label], input') as HTMLInputElement | null) !== null &&
        [...document.querySelectorAll('input')].every((i) => i.value !== before),
      old,
    )

    // Removing the reviewer closes their board.
    await fac.page.locator('summary', { hasText: 'People and roles' }).click()
    await fac.page.getByRole('button', { name: 'Remove Rita Reviewer' }).click()
    await fac.page
      .getByRole('dialog', { name: 'Remove Rita Reviewer?' })
      .getByRole('button', { name: 'Remove' })
      .click()
    await rev.page
      .getByRole('heading', { name: 'You are no longer on this board' })
      .waitFor({ timeout: 5_000 })
    await fac.context.close()
    await rev.context.close()
  })
})
