import { describe, expect, it } from 'vitest'
import { timerMinutes } from '../../../shared/protocol/commands'

describe('the timer in whole minutes', () => {
  it.each([0.1, 0, -5, 1.5, 1441, Number.NaN])('[TM4] refuses %s minutes with a sentence', (m) => {
    const res = timerMinutes.safeParse(m)
    expect(res.success).toBe(false)
    expect(res.error?.issues[0]?.message).toMatch(/minutes/)
  })
  it.each([1, 5, 1440])('[TM4] takes %s minutes', (m) => {
    expect(timerMinutes.parse(m)).toBe(m)
  })
})
