import type Database from 'better-sqlite3'

/**
 * Tables of DESIGN §5. Secrets are stored as sha-256 hashes, plus (invite and return codes) an AES-GCM sealed copy [PA13]. The document log is keyed by
 * (review, seq) WITHOUT ROWID: one b-tree per insert (no rowid table + index + AUTOINCREMENT
 * counter), which is what a commit of one small update writes to the WAL (P9).
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS reviews (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  hash TEXT PRIMARY KEY,
  review_id TEXT NOT NULL,
  participant_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_by_participant ON tokens (review_id, participant_id);
CREATE TABLE IF NOT EXISTS invites (
  hash TEXT PRIMARY KEY,
  review_id TEXT NOT NULL,
  role TEXT NOT NULL,
  UNIQUE (review_id, role)
);
CREATE TABLE IF NOT EXISTS sealed_invites (
  review_id TEXT NOT NULL,
  role TEXT NOT NULL,
  sealed TEXT NOT NULL,
  PRIMARY KEY (review_id, role)
);
CREATE TABLE IF NOT EXISTS return_links (
  hash TEXT PRIMARY KEY,
  review_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  UNIQUE (review_id, participant_id)
);
CREATE TABLE IF NOT EXISTS events (
  review_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (review_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_updates (
  review_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (review_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  review_id TEXT PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS round_snapshots (
  review_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (review_id, round)
);
`

/** Creates the tables and moves a log from the first schema (`updates`, rowid + index) over. */
export function migrate(db: Database.Database): void {
  db.exec(SCHEMA)
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'updates'").get()
  if (!old) return
  db.transaction(() => {
    db.exec(`INSERT INTO doc_updates (review_id, seq, data)
      SELECT review_id, row_number() OVER (PARTITION BY review_id ORDER BY id), data FROM updates`)
    db.exec('DROP TABLE updates')
  })()
}
