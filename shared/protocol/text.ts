import { z } from 'zod'

/**
 * The one rule for text people type (titles, names, card bodies, notes, replies, reasons…),
 * applied once at the wire's doors (commands and HTTP bodies) [TX1]: what gets past it can be
 * stored, shown, exported and used in a file name without breaking anything later (TARGETS H4).
 *
 * - well-formed UTF-16: a lone surrogate is refused (it cannot be written as UTF-8, so an export
 *   or a file name made from it fails);
 * - no bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C): they make a name
 *   or a quote read differently from what it is (`\u202eevil\u202c Admin`);
 * - no control characters but tab and line breaks;
 * - something visible: a value of only spaces or zero-width characters is refused;
 * - NFC: the same text typed on two keyboards is stored the same way; lengths count after it.
 *
 * Every regular expression here is a single character class: linear in the input (H1).
 */
const LONE_SURROGATE = /\p{Cs}/u
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/
/** A control character (Unicode Cc) other than tab, line feed and carriage return. */
const CONTROL = /[^\P{Cc}\t\n\r]/u
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu

/** Why a text cannot be taken, or null when it can (before length limits). */
export function textProblem(value: string): string | null {
  if (LONE_SURROGATE.test(value)) return 'contains a broken character (a lone UTF-16 surrogate)'
  if (BIDI_CONTROL.test(value))
    return 'contains a text-direction control character (U+202A–U+202E, U+2066–U+2069, U+200E/F or U+061C)'
  if (CONTROL.test(value)) return 'contains a control character'
  return null
}

/** True when nothing in the text would show: only spaces and zero-width characters. */
export const invisibleOnly = (value: string): boolean => value.replace(INVISIBLE, '') === ''

/** Only well-formed UTF-16 (for long content such as imported Markdown, which is not trimmed). */
export const wellFormed = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), {
      error: 'contains a broken character (a lone UTF-16 surrogate)',
    })

/**
 * A text field: checked, normalised (NFC, trimmed), then at least one visible character and at
 * most `max` UTF-16 units. `{ allowEmpty: true }` lets an empty value through (as "none").
 */
export function userText(max: number, opts: { allowEmpty?: boolean } = {}) {
  // No bound before normalising: frames and HTTP bodies are capped already, and every step is linear.
  return z
    .string()
    .superRefine((s, ctx) => {
      const problem = textProblem(s)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .max(max)
        .refine((s) => (opts.allowEmpty && s === '') || !invisibleOnly(s), {
          error: 'must contain visible text (not only spaces or zero-width characters)',
        }),
    )
}
