import { describe, expect, it } from 'vitest'
import { changesSince } from '../../../client/src/lib/rounds'
import { board, eve } from './boardFixtures'

describe('what changed is marked through critique and compared against the last round the reader read [RD4]', () => {
  it.each([
    // phase, round, lastReadRound, since
    ['reading', 2, undefined, 1],
    ['reading', 3, undefined, 2],
    ['reading', 3, 2, 2],
    ['reading', 4, 1, 1], // joined in round 1 and missed rounds 2 and 3
    ['reading', 3, 3, 2], // finished this round already: still the previous round
    ['reading', 1, undefined, null], // nothing earlier
    ['critique', 2, 2, 1], // kept while critiquing the changes
    ['discussion', 3, 1, 1],
    ['triage', 3, 1, null], // not once the round's critique is over
    ['revision', 2, 2, null],
    ['draft', 2, undefined, null],
  ] as const)('%s in round %i, last read %s → since %s', (phase, round, lastReadRound, since) => {
    const me = lastReadRound === undefined ? eve : { ...eve, lastReadRound }
    expect(changesSince(board({ phase, round, me }))).toBe(since)
  })
})
