/**
 * Caret colours, dark enough for white label text (≥ 4.5:1). Picked from the participant id so
 * a person keeps their colour across reloads and devices.
 */
const PALETTE = ['#1f5fbf', '#a3338c', '#1d6b3a', '#a34700', '#6a3fb5', '#0e6a78', '#b3261e', '#5c5f14']

export function colorFor(id: string): string {
  let h = 0
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0
  return PALETTE[h % PALETTE.length]!
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0] ?? '?']
  return letters.join('').toUpperCase()
}
