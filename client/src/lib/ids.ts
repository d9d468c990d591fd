/**
 * A client-made command id: a retried command with the same id takes effect once (DESIGN §4).
 * Not `crypto.randomUUID`: it exists only in secure contexts, and the board may run on plain HTTP.
 */
export function newCommandId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
