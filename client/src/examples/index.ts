import insightHub from './insight-hub.md?raw'
import pantryPlan from './pantry-plan.md?raw'

/**
 * Two real PR/FAQs to try the board with (copies of test/fixtures): one that holds up, one that
 * the checks and a review would take apart. A newcomer sees the board with a document in it.
 */
export interface Example {
  id: string
  label: string
  title: string
  summary: string
  markdown: string
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'pantry-plan',
    label: 'PantryPlan',
    title: 'PantryPlan PR/FAQ',
    summary: 'A strong draft: weeknight dinners from what the local store has in stock.',
    markdown: pantryPlan,
  },
  {
    id: 'insight-hub',
    label: 'Insight Hub',
    title: 'Insight Hub PR/FAQ',
    summary: 'A weak draft full of jargon and TBDs: watch the checks flag it.',
    markdown: insightHub,
  },
]
