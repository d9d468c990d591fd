import fs from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { createApp, type App } from '../../server/app'
import { testConfig } from '../../server/config'
import { silentLogger } from '../../server/logger'
import { createMemoryStore } from '../../server/store/memory'
import { AXE_PATH, CHROMIUM_PATH, E2E_CLIENT_DIR, SCREENS_DIR } from './paths'

/** The real server, in-process on port 0, serving the client built by globalSetup. */
async function startServer(): Promise<{ app: App; url: string }> {
  const store = createMemoryStore()
  const app = createApp({ store, config: testConfig({ clientDir: E2E_CLIENT_DIR }), logger: silentLogger() })
  const url = await app.listen()
  return { app, url }
}

function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  })
}

/** A test file's server and browser. Read its fields in hooks and tests: `beforeAll` sets them. */
export interface Stage {
  app: App
  url: string
  browser: Browser
}

/** Starts a server and Chromium before the calling suite's tests and closes both after them. */
export function useStage(): Stage {
  const stage: Partial<Stage> = {}
  beforeAll(async () => {
    Object.assign(stage, await startServer())
    stage.browser = await launchBrowser()
  })
  afterAll(async () => {
    await stage.browser?.close()
    await stage.app?.close()
  })
  return stage as Stage
}

/** `bypassCSP` lets a test inject axe-core; the app's own CSP stays on everywhere else. */
export async function newPage(
  browser: Browser,
  opts: { bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...opts })
  const page = await context.newPage()
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`))
  return { context, page }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENS_DIR}/${name}.png`, fullPage: false })
}

/** Creates a review through the start page, as a person would; returns the invite links shown. */
export async function createReviewInPage(
  page: Page,
  url: string,
  title: string,
  name: string,
): Promise<Record<'author' | 'reviewer' | 'decider' | 'observer', string>> {
  await page.goto(url)
  await page.getByLabel('Review title').fill(title)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Your function').selectOption('product')
  await page.getByRole('button', { name: 'Create review' }).click()
  await page.getByRole('heading', { name: /is ready/ }).waitFor()
  const link = (label: string) => page.getByRole('textbox', { name: `${label} link` }).inputValue()
  return {
    author: await link('Author'),
    reviewer: await link('Reviewer'),
    decider: await link('Decider'),
    observer: await link('Observer'),
  }
}

/** Someone who joins by the invite link of a role. */
export interface Guest {
  page: Page
  role: 'author' | 'reviewer' | 'decider' | 'observer'
  name: string
  fn: string
}

/**
 * The host creates a review through the start page and opens its board, each guest joins by the
 * invite of their role, and every page shows the document's headline; returns the invite links.
 */
export async function openReview(
  url: string,
  host: Page,
  title: string,
  hostName: string,
  ...guests: Guest[]
): Promise<Record<Guest['role'], string>> {
  const links = await createReviewInPage(host, url, title, hostName)
  await host.getByRole('button', { name: 'Open the board' }).click()
  for (const g of guests) await joinInPage(g.page, links[g.role], g.name, g.fn)
  for (const page of [host, ...guests.map((g) => g.page)]) await editorOf(page).locator('h1').waitFor()
  return links
}

/** This browser's participant id, from its stored sessions (the first review's). */
export const participantIdOf = (page: Page) =>
  page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('prfaq-board.sessions') ?? '{}') as Record<
      string,
      { participantId: string }
    >
    return Object.values(s)[0]!.participantId
  })

export async function joinInPage(page: Page, inviteUrl: string, name: string, fn: string): Promise<void> {
  await page.goto(inviteUrl)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Your function').selectOption(fn)
  await page.getByRole('button', { name: 'Join' }).click()
  await page.waitForURL(/\/r\//)
}

export const editorOf = (page: Page) => page.locator('.prfaq-doc')

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[] }[]
}

/** Saves a screenshot, then fails on any serious or critical axe violation, naming the screen. */
export async function expectAxeClean(page: Page, name: string): Promise<void> {
  await screenshot(page, name)
  const violations = await axeViolations(page)
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([])
}

/** axe-core in the page; returns serious and critical violations only. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH })
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe
    const res = await axe.run(document)
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
