/** Tables of DESIGN §5. Secrets are stored as sha-256 hashes only. */
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
`
