import type { Migration } from './runner'

/**
 * The PostgreSQL schema as numbered steps (DESIGN §5, SCALEOUT §2.1), applied in order at
 * start by `runner.ts`, each in its own transaction under an advisory lock (several processes
 * may start at once). Never edit a step that has shipped: add the next number.
 *
 * The same tables as SQLite. The document log is keyed by (review, id) with `id` an identity
 * column: one b-tree per insert, no per-review counter to read before appending, and a commit
 * order the fold can rely on (one writer per review: the owning process's group commit).
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial tables',
    sql: `
CREATE TABLE reviews (
  id text PRIMARY KEY,
  title text NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE tokens (
  hash text PRIMARY KEY,
  review_id text NOT NULL,
  participant_id text NOT NULL
);
CREATE INDEX tokens_by_participant ON tokens (review_id, participant_id);
CREATE TABLE invites (
  hash text PRIMARY KEY,
  review_id text NOT NULL,
  role text NOT NULL,
  UNIQUE (review_id, role)
);
CREATE TABLE events (
  review_id text NOT NULL,
  seq integer NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (review_id, seq)
);
CREATE TABLE doc_updates (
  review_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  data bytea NOT NULL,
  PRIMARY KEY (review_id, id)
);
CREATE TABLE snapshots (
  review_id text PRIMARY KEY,
  data bytea NOT NULL
);
CREATE TABLE round_snapshots (
  review_id text NOT NULL,
  round integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (review_id, round)
);
`,
  },
  {
    version: 2,
    // Which process incarnation wrote an update (SCALEOUT §2.1, audit of fencing); empty for a
    // single process. node_lease / review_owner come with several processes.
    name: 'incarnation of the writer on the document log',
    sql: `ALTER TABLE doc_updates ADD COLUMN incarnation bigint;`,
  },
  {
    version: 3,
    // Invite codes sealed (AES-GCM) so every facilitator can be shown them again, and each
    // participant's return link (hash to look up, sealed copy to show its owner) [PA11] [PA12] [PA13].
    name: 'sealed invite codes and return links',
    sql: `
CREATE TABLE IF NOT EXISTS sealed_invites (
  review_id text NOT NULL,
  role text NOT NULL,
  sealed text NOT NULL,
  PRIMARY KEY (review_id, role)
);
CREATE TABLE IF NOT EXISTS return_links (
  hash text PRIMARY KEY,
  review_id text NOT NULL,
  participant_id text NOT NULL,
  sealed text NOT NULL,
  UNIQUE (review_id, participant_id)
);
`,
  },
  {
    version: 4,
    // Several processes (SCALEOUT §2.1, server/cluster): each process start is an incarnation,
    // alive while it holds the session advisory lock of that number; one owner per review; the
    // incarnation that wrote each event, for the fencing audit. Unused by a single process.
    name: 'node leases and review owners',
    sql: `
CREATE TABLE IF NOT EXISTS node_lease (
  incarnation bigint PRIMARY KEY,
  node_name text NOT NULL,
  address text,
  dead boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL DEFAULT now(),
  died_at timestamptz
);
CREATE TABLE IF NOT EXISTS review_owner (
  review_id text PRIMARY KEY,
  incarnation bigint NOT NULL REFERENCES node_lease ON DELETE CASCADE,
  claimed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS review_owner_by_incarnation ON review_owner (incarnation);
ALTER TABLE events ADD COLUMN IF NOT EXISTS incarnation bigint;
`,
  },
]
