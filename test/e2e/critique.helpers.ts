import type { Page } from 'playwright-core'
import { editorOf, newPage, openReview, type Guest, type Stage } from './harness'

/** Steps of the critique and rounds browser tests, written as a person would do them. */

/**
 * The people of the critique and rounds tests, in pages axe can run in: Pat (facilitator-author,
 * product) creates "Pantry Plan"; Eve (engineering) joins as a reviewer and Lee (legal) as `leeRole`.
 */
export async function pantryPlanCast(
  stage: Stage,
  leeRole: Guest['role'],
): Promise<{ pat: Page; eve: Page; lee: Page }> {
  const open = async () => (await newPage(stage.browser, { bypassCSP: true })).page
  const pat = await open()
  const eve = await open()
  const lee = await open()
  await openReview(
    stage.url,
    pat,
    'Pantry Plan',
    'Pat PM',
    { page: eve, role: 'reviewer', name: 'Eve Eng', fn: 'engineering' },
    { page: lee, role: leeRole, name: 'Lee Legal', fn: 'legal' },
  )
  return { pat, eve, lee }
}

/** The facilitator moves the review on, through the confirmation when one is asked; returns its text. */
export async function advance(page: Page, label: string): Promise<string | null> {
  await page.getByRole('group', { name: 'Move the review' }).getByRole('button', { name: label }).click()
  const dialog = page.getByRole('dialog')
  try {
    await dialog.waitFor({ timeout: 1500 })
  } catch {
    return null
  }
  const message = await dialog.getByTestId('confirm-message').innerText()
  await dialog.getByRole('button', { name: label }).click()
  await dialog.waitFor({ state: 'hidden' })
  return message
}

export async function waitForPhase(page: Page, phase: string): Promise<void> {
  await page.waitForFunction(
    (p) => document.querySelector('[aria-current="step"]')?.textContent?.toLowerCase().includes(p),
    phase.toLowerCase(),
  )
}

/** Selects the first occurrence of `text` in the document, as a mouse drag would. */
export async function selectInDocument(page: Page, text: string): Promise<void> {
  await editorOf(page).waitFor()
  await page.evaluate((quote) => {
    const root = document.querySelector('.prfaq-doc')!
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent?.indexOf(quote) ?? -1
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(n, at)
      range.setEnd(n, at + quote.length)
      const sel = window.getSelection()!
      sel.removeAllRanges()
      sel.addRange(range)
      return
    }
    throw new Error(`"${quote}" is not in the document`)
  }, text)
}

export interface CardInput {
  quote?: string
  body: string
  severity: 'Fatal' | 'Structural' | 'Minor'
  kind?: 'Concern' | 'Question' | 'Suggestion' | 'Praise'
}

export async function writeCard(page: Page, card: CardInput): Promise<void> {
  const composer = page.getByTestId('card-composer')
  if (card.quote) {
    await selectInDocument(page, card.quote)
    await composer.getByRole('button', { name: 'Add card on selection' }).click()
    await composer.locator('blockquote', { hasText: card.quote.slice(0, 20) }).waitFor()
  } else {
    await composer.getByRole('button', { name: 'General card' }).click()
  }
  await composer.getByText(card.severity, { exact: true }).click()
  if (card.kind) await composer.getByLabel('Kind').selectOption({ label: card.kind })
  await composer.getByLabel('Critique').fill(card.body)
  await composer.getByRole('button', { name: 'Add card', exact: true }).click()
  await composer.getByRole('button', { name: 'General card' }).waitFor()
}

export const cardOn = (page: Page, body: string) => page.getByTestId('card').filter({ hasText: body })

/** The participant's token, from this browser's sessions (for the HTTP exports). */
export async function sessionOf(page: Page): Promise<{ reviewId: string; token: string }> {
  return page.evaluate(() => {
    const all = JSON.parse(localStorage.getItem('prfaq-board.sessions') ?? '{}') as Record<
      string,
      { reviewId: string; token: string }
    >
    const id = location.pathname.split('/').filter(Boolean).pop() ?? ''
    return all[id]!
  })
}
