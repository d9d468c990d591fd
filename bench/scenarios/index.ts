import type { Scenario } from '../lib/scenario'
import { writeAmplification } from './bytes'
import { killRestart } from './crash'
import { fanout } from './fanout'
import { firstSync, joinStorm } from './joins'
import { memory } from './memory'
import { restart, pipelined } from './restart'
import { manyRooms, unloadCycles } from './rooms'
import { saturation } from './saturation'

/** Every scenario, in the order the runner takes them (P4 and P10 come out of P3's runs). */
export const scenarios: Scenario[] = [
  firstSync,
  joinStorm,
  fanout,
  saturation,
  manyRooms,
  memory,
  unloadCycles,
  writeAmplification,
  restart,
  pipelined,
  killRestart,
]
