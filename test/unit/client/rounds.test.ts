import { describe, expect, it } from 'vitest'
import { changesSince } from '../../../client/src/lib/rounds'
import { board, eve } from './boardFixtures'

describe('what changed is compared against the last round the reader read [RD4]', () => {
  it.each([
    // phase, round, lastReadRound, since
    ['reading', 2, undefined, 1],
    ['reading', 3, undefined, 2],
    ['reading', 3, 2, 2],
    ['reading', 4, 1, 1], // joined in round 1 and missed rounds 2 and 3
    ['reading', 3, 3, 2], // finished this round already: still the previous round
    ['reading', 1, undefined, null], // nothing earlier
    ['critique', 3, 1, null], // only while reading
  ] as const)('%s in round %i, last read %s → since %s', (phase, round, lastReadRound, since) => {
    const me = lastReadRound === undefined ? eve : { ...eve, lastReadRound }
    expect(changesSince(board({ phase, round, me }))).toBe(since)
  })
})
