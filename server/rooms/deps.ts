import type { SecretBox } from '../auth/secretBox'
import type { Config } from '../config'
import type { Logger } from '../logger'
import type { AppNamespace } from '../socket/types'
import type { Store } from '../store/types'

/** What a room needs from the app; passed in so tests swap clock, ids and store. */
export interface RoomDeps {
  store: Store
  config: Config
  clock: () => number
  ids: () => string
  logger: Logger
  nsp: AppNamespace
  /** The public origin for invite links (known once the server listens). */
  publicUrl: () => string
  /** Seals invite and return codes so they can be shown again, never kept in clear [PA13]. */
  secrets: SecretBox
}
