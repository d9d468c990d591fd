import type { ErrorCode } from '../protocol/errors'

/** Expected refusals are values, not exceptions. Throw only for bugs. */
export type Ok<T> = { ok: true; value: T }
export type Err = { ok: false; error: { code: ErrorCode; message: string } }
export type Result<T> = Ok<T> | Err

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value })
export const err = (code: ErrorCode, message: string): Err => ({ ok: false, error: { code, message } })
