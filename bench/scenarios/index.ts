import type { Scenario } from '../lib/scenario'
import { fanout } from './fanout'

/** Every scenario, in the order the runner takes them. */
export const scenarios: Scenario[] = [fanout]
