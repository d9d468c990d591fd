// Online backup of the SQLite database while the server runs (docs/operations.md).
// Usage: npm run backup [-- <target file>]   (DATA_DIR as for the server, default ./data)
import path from 'node:path'
import fs from 'node:fs'
import Database from 'better-sqlite3'

const dataDir = process.env.DATA_DIR || './data'
const source = path.resolve(dataDir, 'prfaq.sqlite')
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}; set DATA_DIR to the server's data folder.`)
  process.exit(1)
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const target = path.resolve(process.argv[2] || path.join(dataDir, 'backups', `prfaq-${stamp}.sqlite`))
fs.mkdirSync(path.dirname(target), { recursive: true })
const db = new Database(source, { readonly: true, fileMustExist: true })
try {
  // SQLite's online backup API: a consistent copy, page by page, without stopping writers.
  await db.backup(target)
  const check = new Database(target, { readonly: true })
  const ok = check.pragma('integrity_check', { simple: true })
  check.close()
  if (ok !== 'ok') throw new Error(`integrity check of the copy failed: ${ok}`)
  console.log(`Backed up ${source} to ${target}`)
} finally {
  db.close()
}
