import { describe, expect, it } from 'vitest'
import { project } from '../../../shared/domain/projection'
import { applyPatch, diffBoard } from '../../../shared/protocol/patch'
import { run } from './fixtures'
import { SCENES } from './scenes'

const online = new Set(['fac'])

describe('board patches', () => {
  it('[CV2] the reveal patch puts every card in the projection’s own order', () => {
    const before = project(SCENES.critique, 'rev', online)
    const after = project(SCENES.discussion, 'rev', online)
    expect(before.cards).toHaveLength(1)
    const patch = diffBoard(before, after)
    expect(patch.cards).toHaveLength(4) // the viewer's own card did not change
    expect(patch.hiddenCardCounts).toEqual({})
    expect(applyPatch(before, patch, after.seq)).toEqual(after)
  })

  it('a change the viewer cannot see gives an empty patch', () => {
    const s = SCENES.critique
    const next = run(s, 'reviewer2', {
      type: 'card.edit',
      cardId: Object.values(s.cards).find((c) => c.authorId === 'rev2')!.id,
      body: 'secret rewording',
    })
    // The author of the card sees the edit; another reviewer sees nothing change at all.
    expect(diffBoard(project(s, 'rev', online), project(next, 'rev', online))).toEqual({})
    expect(diffBoard(project(s, 'rev2', online), project(next, 'rev2', online)).cards).toHaveLength(1)
  })
})
