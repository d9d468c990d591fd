import type { Migration } from './runner'

/**
 * The SQLite schema as numbered steps (DESIGN §5), applied in order at start by `runner.ts`.
 * Never edit a step that has shipped: add the next number. Secrets are stored as sha-256
 * hashes only. Every step is written so that a database made before versioning (tables but no
 * `schema_migrations`) passes through it unharmed (`IF NOT EXISTS`).
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial tables',
    sql: `
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
CREATE TABLE IF NOT EXISTS events (
  review_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (review_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  review_id TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS updates_by_review ON updates (review_id, id);
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
`,
  },
  {
    version: 2,
    // One b-tree per insert (no rowid table + index + AUTOINCREMENT counter): what a commit of
    // one small update writes to the WAL (P9).
    name: 'document log keyed by (review, seq) WITHOUT ROWID',
    sql: `
CREATE TABLE IF NOT EXISTS doc_updates (
  review_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (review_id, seq)
) WITHOUT ROWID;
INSERT INTO doc_updates (review_id, seq, data)
  SELECT review_id, row_number() OVER (PARTITION BY review_id ORDER BY id), data FROM updates;
DROP TABLE updates;
`,
  },
  {
    version: 3,
    // Invite codes sealed (AES-GCM) so every facilitator can be shown them again, and each
    // participant's return link (hash to look up, sealed copy to show its owner) [PA11] [PA12] [PA13].
    name: 'sealed invite codes and return links',
    sql: `
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
`,
  },
]
