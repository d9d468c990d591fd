import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Secrets the server must be able to show again (invite codes to facilitators, return links to
 * their owner) are kept sealed: AES-256-GCM (node:crypto) with a random 96-bit nonce, the
 * ciphertext bound to where it belongs (`context`, e.g. `invite:<review>:<role>`) as associated
 * data, so a sealed value copied to another row does not open [PA13]. Lookups never decrypt:
 * they go by the secret's sha-256, as before.
 */
export interface SecretBox {
  seal(plain: string, context: string): string
  /** The plain text, or null when the value was sealed under another key or for another place. */
  open(sealed: string, context: string): string | null
}

const VERSION = 'v1'

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('A secret-box key is 32 bytes.')
  return {
    seal(plain, context) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`
    },
    open(sealed, context) {
      const [version, iv, body] = sealed.split('.')
      if (version !== VERSION || !iv || !body) return null
      try {
        const bytes = Buffer.from(body, 'base64url')
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        decipher.setAAD(Buffer.from(context))
        decipher.setAuthTag(bytes.subarray(bytes.length - 16))
        return Buffer.concat([
          decipher.update(bytes.subarray(0, bytes.length - 16)),
          decipher.final(),
        ]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}

/** A key from `SECRET_KEY` (any string of at least 16 characters), stretched to 32 bytes by HKDF. */
export function keyFromSecret(secret: string): Buffer {
  if (secret.length < 16) throw new Error('SECRET_KEY must be at least 16 characters long.')
  return Buffer.from(hkdfSync('sha256', secret, 'prfaq-board', 'sealed secrets v1', 32))
}

export const KEY_FILE = 'secret.key'

/**
 * The key of a server: `SECRET_KEY` when set, else the one in `DATA_DIR/secret.key`, created
 * (32 random bytes, mode 0600) on first start. Losing the file only hides the links already
 * made: facilitators then make new ones.
 */
export function loadKey(secret: string | undefined, dataDir: string): Buffer {
  if (secret) return keyFromSecret(secret)
  const file = path.join(path.resolve(dataDir), KEY_FILE)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url')
  if (key.length !== 32)
    throw new Error(`${file} does not hold a 32-byte key; move it away to make a new one.`)
  return key
}

/** For tests and embedding without a data directory: a key that lives as long as the process. */
export const ephemeralSecretBox = (): SecretBox => secretBox(randomBytes(32))
