/** The error codes of the wire (DESIGN §4). Extend, never rename. */
export const ERROR_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'PHASE_LOCKED',
  'INVALID',
  'NOT_FOUND',
  'TOO_LARGE',
  'RATE_LIMITED',
  'CONFLICT',
  'UNAVAILABLE',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** `message` is a sentence a person can act on. */
export interface WireError {
  code: ErrorCode
  message: string
}
