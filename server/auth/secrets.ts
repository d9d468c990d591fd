import { createHash, randomBytes } from 'node:crypto'

/** A token: 256 random bits, base64url. Stored only as its hash. */
export const newToken = (): string => randomBytes(32).toString('base64url')

/** An invite code: 144 random bits (DESIGN §4 asks at least 128), base64url, URL-safe. */
export const newInviteCode = (): string => randomBytes(18).toString('base64url')

/** sha-256, base64url: what the store keeps instead of the secret. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url')

/** Ids for reviews, participants and cards: 96 random bits, base64url. */
export const newId = (): string => randomBytes(12).toString('base64url')

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+([A-Za-z0-9_-]{16,128})$/.exec(header ?? '')
  return m ? m[1]! : null
}
