import { describe, expect, it } from 'vitest'
import { openRisks, runChecks, type Check } from '../../../shared/doc/checks'
import { parseMarkdown } from '../../../shared/doc/markdown'
import { outlineFromBlocks } from '../../../shared/doc/outline'
import { PRFAQ_TEMPLATE } from '../../../shared/doc/template'
import { fixture } from './fixtures'

const checksOf = (md: string) => runChecks(outlineFromBlocks(parseMarkdown(md)))
const ids = (checks: Check[]) => checks.map((c) => c.id)

/** A complete, good PR/FAQ to break one part at a time. */
const good = fixture('pantry-plan-good')

describe('PR/FAQ checks', () => {
  it('[CHK2] the strong fixture passes without errors or warnings', () => {
    const checks = checksOf(good)
    expect(checks.filter((c) => c.severity !== 'info')).toEqual([])
  })

  it('[CHK2] the weak fixture trips most checks, each explained', () => {
    const checks = checksOf(fixture('insight-hub-weak'))
    const list = ids(checks)
    expect(list).toEqual(
      expect.arrayContaining([
        'missing:customerQuote',
        'missing:callToAction',
        'headline:customer-benefit',
        'faq:external-count',
        'faq:internal-cost',
        'faq:internal-legal',
        'faq:internal-competition',
        'faq:internal-risks',
        'tbd:when-is-it-available:1',
        'tbd:what-is-the-timeline:1',
      ]),
    )
    expect(list.filter((id) => id.startsWith('claim:'))).toHaveLength(3)
    expect(list.some((id) => id.startsWith('hype:'))).toBe(true)
    expect(checks.filter((c) => c.severity === 'error').length).toBeGreaterThanOrEqual(2)
    for (const c of checks) expect(c.detail.length).toBeGreaterThan(20)
    const claim = checks.find((c) => c.id === 'claim:does-it-work-with-my-tools:1')
    expect(claim?.detail).toContain('We think it will work with most tools.')
    expect(claim?.section).toBe('Does it work with my tools?')
  })

  it('[CHK2] counts open risks', () => {
    expect(openRisks(outlineFromBlocks(parseMarkdown(fixture('insight-hub-weak'))))).toBe(2)
    expect(openRisks(outlineFromBlocks(parseMarkdown(good)))).toBe(0)
  })

  it('[CHK2] flags each missing part by name', () => {
    const without = good.replace(/## The problem[\s\S]*?(?=## The solution)/, '')
    const checks = checksOf(without)
    expect(ids(checks)).toEqual(['missing:problem'])
    expect(checks[0]).toMatchObject({ severity: 'error', title: 'Problem is missing' })
    expect(ids(checksOf('Just a paragraph.'))).toEqual(
      expect.arrayContaining(['missing:headline', 'missing:externalFaq', 'missing:internalFaq']),
    )
  })

  it.each([
    ['Insight Hub', true],
    ['A revolutionary next-generation analytics platform', true],
    ['Parents cook dinner tonight from what the store has', false],
    ['Teams ship reviews in half the time', false],
    ['Save two hours a week on meal planning', false],
  ])('[CHK2] headline "%s" lacks customer and benefit: %s', (headline, flagged) => {
    const checks = checksOf(good.replace(/^# .*$/m, `# ${headline}`))
    expect(ids(checks).includes('headline:customer-benefit')).toBe(flagged)
  })

  it('[CHK2] flags hype words in the headline and names them', () => {
    const checks = checksOf(
      good.replace(/^# .*$/m, '# Parents get a revolutionary, next-generation meal planner'),
    )
    const hype = checks.find((c) => c.id.startsWith('hype:'))
    expect(hype?.detail).toContain('"revolutionary", "next-generation"')
  })

  it('[CHK2] flags a press release over one page', () => {
    const padding = Array.from({ length: 220 }, (_, k) => `word${k}`).join(' ')
    const long = good.replace('## How it works\n', `## How it works\n\n${padding}\n`)
    const check = checksOf(long).find((c) => c.id === 'length:press-release')
    expect(check?.detail).toMatch(/It has \d{3} words; one page is about 550/)
  })

  it('[CHK2] wants five to ten external questions', () => {
    const faq = (n: number) =>
      good.replace(
        /## External FAQ[\s\S]*?(?=## Internal FAQ)/,
        '## External FAQ\n\n' +
          Array.from({ length: n }, (_, k) => `### Question ${k}?\nAn answer of words.\n`).join('\n'),
      )
    expect(ids(checksOf(faq(4)))).toContain('faq:external-count')
    expect(ids(checksOf(faq(5)))).not.toContain('faq:external-count')
    expect(ids(checksOf(faq(10)))).not.toContain('faq:external-count')
    expect(checksOf(faq(11)).find((c) => c.id === 'faq:external-count')?.title).toBe(
      'Too many external questions',
    )
  })

  it('[CHK2] names each internal topic the internal FAQ leaves out', () => {
    const md = good.replace(
      /## Internal FAQ[\s\S]*$/,
      '## Internal FAQ\n\n### Is it technically feasible?\nYes, a spike proved it.\n',
    )
    expect(ids(checksOf(md)).filter((id) => id.startsWith('faq:internal-'))).toEqual([
      'faq:internal-cost',
      'faq:internal-timeline',
      'faq:internal-legal',
      'faq:internal-competition',
      'faq:internal-risks',
    ])
  })

  it('[CHK2] flags unsupported claims with their sentence', () => {
    const md = good.replace(
      'One tap turns the plan into a pickup order.',
      'One tap turns the plan into a pickup order. We hope parents will love it. It is best-in-class.',
    )
    const claims = checksOf(md).filter((c) => c.id.startsWith('claim:'))
    expect(claims.map((c) => c.detail)).toEqual([
      expect.stringContaining('"We hope parents will love it."'),
      expect.stringContaining('"It is best-in-class."'),
    ])
    expect(claims[0]?.section).toBe('The solution')
  })

  it('[CHK2] the untouched template asks for its guidance to be replaced, not for missing parts', () => {
    const checks = checksOf(PRFAQ_TEMPLATE)
    expect(checks.filter((c) => c.severity === 'error')).toEqual([])
    expect(ids(checks)).toContain('template:the-problem')
  })
})
