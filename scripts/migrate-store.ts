/**
 * `npm run migrate-store -- --from <SQLite file or DATA_DIR> --to <DATABASE_URL> [--skip-existing]`
 *
 * Copies every review from the embedded SQLite store to PostgreSQL through the store port: each
 * review is read from the SQLite file (read-only, server/store/sqliteExport.ts), written with
 * the PostgreSQL adapter's own `write` (so the target's schema is migrated and written exactly
 * as the server would), then read back through the port and compared by content: the document
 * (text, state and deletions), every event, every round snapshot, the hashed tokens and invite
 * codes, the sealed invite codes and return links. One line per review says what was copied.
 *
 * Refuses, before copying anything, when the target already holds a review with the same id
 * (unless --skip-existing: those are left as they are and listed). Exit code 0 when every review
 * was copied and reads the same, 1 when one did not, 2 for a usage error or a refusal.
 * Stop the server on the SQLite file first; see docs/operations.md.
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { documentContent, differences, writesOf } from '../server/store/dump'
import { createPostgresStore, postgresAddress, StoreUnreachableError } from '../server/store/postgres'
import { ExportError, openSqliteExport } from '../server/store/sqliteExport'
import { SchemaTooNewError } from '../server/store/migrations/runner'
import type { Store } from '../server/store/types'

const USAGE =
  'Usage: npm run migrate-store -- --from <prfaq.sqlite or DATA_DIR> --to <postgres://…> [--skip-existing]'

function fail(message: string, code = 2): never {
  console.error(message)
  process.exit(code)
}

export interface MigrateOptions {
  from: string
  to: string
  skipExisting?: boolean
  /** Where the summary goes (default console.log). */
  print?: (line: string) => void
}

export interface MigrateResult {
  copied: string[]
  skipped: string[]
  /** Review id → what differs after the copy (or why it failed). */
  failed: Map<string, string[]>
}

/** Refused before anything was written (the target holds some of the reviews already). */
export class ExistingReviewsError extends Error {
  constructor(readonly ids: string[]) {
    super(
      `The target already holds ${ids.length} of these reviews (${ids.slice(0, 5).join(', ')}` +
        `${ids.length > 5 ? ', …' : ''}); nothing was copied. Run with --skip-existing to copy only the others.`,
    )
  }
}

export async function migrateStore(options: MigrateOptions): Promise<MigrateResult> {
  const print = options.print ?? ((line: string) => console.log(line))
  const source = openSqliteExport(options.from)
  let target: Store | undefined
  try {
    target = await createPostgresStore({ url: options.to, foldOnOpen: false, log: () => undefined })
    const ids = source.reviewIds()
    const existing: string[] = []
    for (const id of ids) if (await target.getReview(id)) existing.push(id)
    if (existing.length > 0 && !options.skipExisting) throw new ExistingReviewsError(existing)
    const result: MigrateResult = { copied: [], skipped: existing, failed: new Map() }
    const skip = new Set(existing)
    let sealed = false
    print(`Copying ${ids.length - skip.size} review(s) to PostgreSQL at ${postgresAddress(options.to)}.`)
    for (const id of ids) {
      const dump = source.dump(id)
      const title = JSON.stringify(dump.review.title)
      if (skip.has(id)) {
        print(`${id} ${title}: skipped, the target holds a review with this id`)
        continue
      }
      let problems: string[]
      try {
        for (const set of writesOf(dump)) await target.write(id, set)
        problems = await differences(dump, target)
      } catch (e) {
        problems = [`copy failed: ${(e as Error).message}`]
      }
      const { text } = documentContent(dump.document)
      const facts =
        `${dump.events.length} events, document ${text.length} characters in ${dump.document.length} part(s), ` +
        `rounds [${dump.rounds.map((r) => r.round).join(', ')}], ${dump.tokens.length} token(s), ` +
        `${dump.invites.length} invite(s), ${dump.returnLinks.length} return link(s)`
      if (problems.length === 0) {
        result.copied.push(id)
        if (dump.sealedInvites.length > 0 || dump.returnLinks.length > 0) sealed = true
        print(`${id} ${title}: ${facts}: copied, reads the same`)
      } else {
        result.failed.set(id, problems)
        print(`${id} ${title}: ${facts}: NOT THE SAME: ${problems.join('; ')}`)
      }
    }
    print(
      `${result.copied.length} copied and verified, ${result.skipped.length} skipped, ${result.failed.size} failed.`,
    )
    if (sealed)
      print(
        "Invite codes and return links are sealed with this server's key: start the PostgreSQL server with the same " +
          'SECRET_KEY, or the same DATA_DIR (its secret.key file), or facilitators cannot be shown them again.',
      )
    return result
  } finally {
    source.close()
    await target?.close()
  }
}

async function main(): Promise<void> {
  let args
  try {
    args = parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'skip-existing': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`)
  }
  if (args.help) {
    console.log(USAGE)
    return
  }
  const to = args.to ?? process.env.DATABASE_URL
  if (!args.from || !to) fail(USAGE)
  if (!/^postgres(ql)?:\/\//.test(to)) fail(`--to must be a postgres:// URL.\n${USAGE}`)
  try {
    const result = await migrateStore({ from: args.from, to, skipExisting: args['skip-existing'] })
    process.exit(result.failed.size > 0 ? 1 : 0)
  } catch (e) {
    if (
      e instanceof ExistingReviewsError ||
      e instanceof ExportError ||
      e instanceof StoreUnreachableError ||
      e instanceof SchemaTooNewError
    )
      fail(e.message)
    throw e
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
