import { describe, expect, it } from 'vitest'
import { droppedText } from '../../../client/src/lib/socketYjsProvider'

/**
 * A refused change leaves the page and is offered back whole [SV3]: the text shown is what the
 * person put in, not a rotation of it that common-start-and-end trimming alone would give.
 */
describe('the refused text offered back is what the person pasted [SV3]', () => {
  it.each([
    // before (with the paste), after (the server's text), offered back
    ['Intro\nHUGEPASTE lorem ipsum \nHeading\n', 'Intro\nHeading\n', 'HUGEPASTE lorem ipsum'],
    ['Intro\nHello Hi\n', 'Intro\nHi\n', 'Hello'],
    ['one two two three\n', 'one two three\n', 'two'],
    ['abc added\n', 'abc\n', 'added'],
    ['same\n', 'same\n', ''],
  ])('%j against %j offers %j', (before, after, offered) => {
    expect(droppedText(before, after)).toBe(offered)
  })
})
