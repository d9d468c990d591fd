/**
 * The SQLite writer thread, as plain CommonJS source run with `new Worker(src, { eval: true })`.
 * A string, not a file beside this one: the server also runs bundled into one file (the fault
 * tests' esbuild bundle), where no path relative to this module exists. Packages arrive as
 * resolved paths in workerData, so `require` never depends on the working directory.
 *
 * Protocol (main → worker): { type: 'batch', id, writes: [{ kind: 'write' | 'compact', reviewId,
 * set }] } runs every write in its own savepoint inside ONE transaction and answers
 * { type: 'done', id, results: [null | { code, message }], commits } once committed (or
 * { type: 'done', id, failed } if the commit failed); compaction by size runs after the answer,
 * so acknowledgements never wait for it. { type: 'load', id, reviewId } answers the document's
 * parts, folding a long log into its snapshot first. { type: 'fold', reviewIds } folds those
 * reviews' long logs in slices, letting writes and loads that arrive in between go first.
 * { type: 'close' } closes the database.
 */
export const SQLITE_WORKER_SOURCE = String.raw`
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqlitePath)
const Y = require(workerData.yjsPath)
const { file, synchronous, policy, loadFoldRows } = workerData

const db = new Database(file)
db.pragma('busy_timeout = 5000')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = ' + synchronous)
// 4 MB of WAL between checkpoints (pages are 1 KB): each checkpoint copies a page once however
// many commits changed it, so fewer checkpoints write fewer bytes (P9).
db.pragma('wal_autocheckpoint = 4000')

const q = {
  insertReview: db.prepare('INSERT INTO reviews (id, title, created_at) VALUES (?, ?, ?)'),
  reviewExists: db.prepare('SELECT 1 FROM reviews WHERE id = ?').pluck(),
  insertEvent: db.prepare('INSERT INTO events (review_id, seq, body) VALUES (?, ?, ?)'),
  insertUpdate: db.prepare('INSERT INTO doc_updates (review_id, seq, data) VALUES (?, ?, ?)'),
  lastSeq: db.prepare('SELECT max(seq) FROM doc_updates WHERE review_id = ?').pluck(),
  loadUpdates: db.prepare('SELECT seq, data FROM doc_updates WHERE review_id = ? ORDER BY seq'),
  loadSlice: db.prepare(
    'SELECT seq, data FROM doc_updates WHERE review_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  ),
  updateStats: db.prepare(
    'SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS bytes FROM doc_updates WHERE review_id = ?',
  ),
  deleteUpdates: db.prepare('DELETE FROM doc_updates WHERE review_id = ? AND seq <= ?'),
  getSnapshot: db.prepare('SELECT data FROM snapshots WHERE review_id = ?').pluck(),
  snapshotBytes: db.prepare('SELECT length(data) FROM snapshots WHERE review_id = ?').pluck(),
  putSnapshot: db.prepare(
    'INSERT INTO snapshots (review_id, data) VALUES (?, ?) ON CONFLICT(review_id) DO UPDATE SET data = excluded.data',
  ),
  insertToken: db.prepare('INSERT INTO tokens (hash, review_id, participant_id) VALUES (?, ?, ?)'),
  revokeTokens: db.prepare('DELETE FROM tokens WHERE review_id = ? AND participant_id = ?'),
  deleteInvite: db.prepare('DELETE FROM invites WHERE review_id = ? AND role = ?'),
  insertInvite: db.prepare('INSERT INTO invites (hash, review_id, role) VALUES (?, ?, ?)'),
  putSealedInvite: db.prepare(
    'INSERT INTO sealed_invites (review_id, role, sealed) VALUES (?, ?, ?) ON CONFLICT(review_id, role) DO UPDATE SET sealed = excluded.sealed',
  ),
  deleteReturnLink: db.prepare('DELETE FROM return_links WHERE review_id = ? AND participant_id = ?'),
  insertReturnLink: db.prepare(
    'INSERT INTO return_links (hash, review_id, participant_id, sealed) VALUES (?, ?, ?, ?)',
  ),
  putRound: db.prepare(
    'INSERT INTO round_snapshots (review_id, round, data) VALUES (?, ?, ?) ON CONFLICT(review_id, round) DO UPDATE SET data = excluded.data',
  ),
}

class StoreFailure extends Error {
  constructor(code, message) {
    super(message)
    this.storeCode = code
  }
}

// Per review: the log's rows, bytes and last seq since its last compaction (read once, then kept).
const logs = new Map()
const logOf = (id) => {
  let s = logs.get(id)
  if (!s) {
    const row = q.updateStats.get(id)
    s = { rows: row.n, bytes: row.bytes, seq: q.lastSeq.get(id) ?? 0, snapshot: q.snapshotBytes.get(id) ?? 0 }
    logs.set(id, s)
  }
  return s
}
const dirty = new Set()

// Applied to ONE Y.Doc in ONE transaction: Y.mergeUpdates over a long log is far slower.
function foldUpdates(parts) {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      for (const part of parts) Y.applyUpdate(doc, part)
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}

function compactNow(id) {
  generations.set(id, generation(id) + 1)
  const rows = q.loadUpdates.all(id)
  if (rows.length === 0) return
  const snapshot = q.getSnapshot.get(id)
  const parts = snapshot ? [snapshot] : []
  for (const r of rows) parts.push(r.data)
  const folded = foldUpdates(parts)
  q.putSnapshot.run(id, folded)
  q.deleteUpdates.run(id, rows[rows.length - 1].seq)
  const s = logOf(id)
  s.rows = 0
  s.bytes = 0
  s.snapshot = folded.byteLength
}

// By size: past maxBytes of log; past maxRows only once the log is a quarter of the snapshot,
// so a large document is not rewritten for every few small edits (compaction's own writes stay
// under a quarter of the update bytes, P9); and a hard cap on rows.
function compactionDue(s) {
  if (s.bytes > policy.maxBytes) return true
  if (s.rows > policy.maxRows * 25) return true
  return s.rows > policy.maxRows && s.bytes * 4 >= s.snapshot
}

function apply(reviewId, set) {
  if (set.review) q.insertReview.run(reviewId, set.review.title, set.review.createdAt)
  else if (!q.reviewExists.get(reviewId))
    throw new StoreFailure('NOT_FOUND', 'Review ' + reviewId + ' does not exist.')
  for (const e of set.events ?? []) q.insertEvent.run(reviewId, e.seq, JSON.stringify(e))
  if (set.updates && set.updates.length > 0) {
    const s = logOf(reviewId)
    for (const u of set.updates) {
      q.insertUpdate.run(reviewId, s.seq + 1, u)
      s.seq++
      s.rows++
      s.bytes += u.byteLength
    }
    dirty.add(reviewId)
  }
  for (const p of set.revokeTokensOf ?? []) {
    q.revokeTokens.run(reviewId, p)
    q.deleteReturnLink.run(reviewId, p)
  }
  for (const t of set.tokens ?? []) q.insertToken.run(t.hash, reviewId, t.participantId)
  for (const i of set.invites ?? []) {
    q.deleteInvite.run(reviewId, i.role)
    q.insertInvite.run(i.hash, reviewId, i.role)
  }
  if (set.roundSnapshot) q.putRound.run(reviewId, set.roundSnapshot.round, set.roundSnapshot.state)
  for (const i of set.sealedInvites ?? []) q.putSealedInvite.run(reviewId, i.role, i.sealed)
  for (const r of set.returnLinks ?? []) {
    q.deleteReturnLink.run(reviewId, r.participantId)
    q.insertReturnLink.run(r.hash, reviewId, r.participantId, r.sealed)
  }
}

function errorOf(e) {
  if (e && e.storeCode) return { code: e.storeCode, message: e.message }
  const code = (e && e.code) || ''
  if (code.startsWith('SQLITE_CONSTRAINT'))
    return { code: 'CONFLICT', message: 'The write conflicts with stored data: ' + e.message }
  return { code: 'UNAVAILABLE', message: 'The write was not saved: ' + (e && e.message) }
}

const savepoint = db.transaction((w) => (w.kind === 'compact' ? compactNow(w.reviewId) : apply(w.reviewId, w.set)))

function runBatch(msg) {
  const results = new Array(msg.writes.length).fill(null)
  try {
    db.transaction(() => {
      msg.writes.forEach((w, i) => {
        try {
          savepoint(w)
        } catch (e) {
          results[i] = errorOf(e)
        }
      })
    })()
  } catch (e) {
    logs.clear() // counts may include rolled-back rows: read them again
    dirty.clear()
    parentPort.postMessage({ type: 'done', id: msg.id, failed: errorOf(e) })
    return
  }
  parentPort.postMessage({ type: 'done', id: msg.id, results, commits: 1 })
  // Compaction by size, after the answer: a failure here loses nothing (the log stays).
  let commits = 0
  for (const id of dirty) {
    if (!compactionDue(logOf(id))) continue
    try {
      db.transaction(() => compactNow(id))()
      commits++
    } catch (e) {
      logs.delete(id)
      console.error('compaction of review ' + id + ' failed: ' + (e && e.message))
    }
  }
  dirty.clear()
  if (commits > 0) parentPort.postMessage({ type: 'compacted', commits })
}

function load(msg) {
  const id = msg.reviewId
  if ((folding && folding.id === id) || toFold.includes(id)) {
    // Asked for: its fold goes next, and the load is answered when it is written.
    if (!folding || folding.id !== id) {
      toFold.splice(toFold.indexOf(id), 1)
      toFold.unshift(id)
    }
    waiting.set(id, [...(waiting.get(id) ?? []), msg])
    return
  }
  try {
    let commits = 0
    // A long log is folded here, off the main thread, so a room loads as one update (P11).
    if (logOf(msg.reviewId).rows > loadFoldRows) {
      db.transaction(() => compactNow(msg.reviewId))()
      commits++
    }
    const parts = db.transaction(() => {
      const snapshot = q.getSnapshot.get(msg.reviewId)
      const out = snapshot ? [snapshot] : []
      for (const r of q.loadUpdates.all(msg.reviewId)) out.push(r.data)
      return out
    })()
    parentPort.postMessage({ type: 'loaded', id: msg.id, parts, commits })
  } catch (e) {
    logs.delete(msg.reviewId)
    parentPort.postMessage({ type: 'loaded', id: msg.id, failed: errorOf(e) })
  }
}

// Long logs found on opening (a crash, compaction held off), shortest first: folded in slices
// of FOLD_SLICE rows into one Y.Doc, one slice per turn of the event loop, so writes and loads
// that arrive meanwhile are answered in between; a load of a review waiting to be folded is
// answered once its fold is written. Compaction of the same review meanwhile abandons the fold.
const FOLD_SLICE = 2000
const toFold = []
let folding = null
const waiting = new Map()
const generations = new Map()
const generation = (id) => generations.get(id) ?? 0

function foldStep() {
  if (!db.open) return
  if (!folding) {
    const id = toFold.shift()
    if (id === undefined) return
    try {
      if (logOf(id).rows <= loadFoldRows) return foldDone(id)
      const doc = new Y.Doc({ gc: true })
      const snapshot = q.getSnapshot.get(id)
      if (snapshot) Y.applyUpdate(doc, snapshot)
      folding = { id, doc, seq: 0, generation: generation(id) }
    } catch (e) {
      return foldFailed(id, e)
    }
  }
  const f = folding
  try {
    if (generation(f.id) !== f.generation) return foldDone(f.id)
    const rows = q.loadSlice.all(f.id, f.seq, FOLD_SLICE)
    if (rows.length > 0) {
      f.doc.transact(() => {
        for (const r of rows) Y.applyUpdate(f.doc, r.data)
      })
      f.seq = rows[rows.length - 1].seq
      setImmediate(foldStep)
      return
    }
    const folded = Y.encodeStateAsUpdate(f.doc)
    db.transaction(() => {
      q.putSnapshot.run(f.id, folded)
      q.deleteUpdates.run(f.id, f.seq)
    })()
    generations.set(f.id, f.generation + 1)
    const s = logOf(f.id)
    s.rows = 0
    s.bytes = 0
    s.snapshot = folded.byteLength
    parentPort.postMessage({ type: 'compacted', commits: 1 })
    foldDone(f.id)
  } catch (e) {
    foldFailed(f.id, e)
  }
}

function foldFailed(id, e) {
  logs.delete(id)
  console.error('folding the log of review ' + id + ' failed: ' + (e && e.message))
  foldDone(id)
}

function foldDone(id) {
  if (folding && folding.id === id) {
    folding.doc.destroy()
    folding = null
  }
  const loads = waiting.get(id) ?? []
  waiting.delete(id)
  for (const msg of loads) load(msg)
  if (toFold.length > 0) setImmediate(foldStep)
}

parentPort.on('message', (msg) => {
  if (msg.type === 'batch') runBatch(msg)
  else if (msg.type === 'load') load(msg)
  else if (msg.type === 'fold') {
    toFold.push(...msg.reviewIds)
    setImmediate(foldStep)
  } else if (msg.type === 'close') {
    toFold.length = 0
    if (folding) folding.doc.destroy()
    folding = null
    for (const loads of waiting.values())
      for (const m of loads)
        parentPort.postMessage({ type: 'loaded', id: m.id, failed: { code: 'UNAVAILABLE', message: 'The store is closed.' } })
    waiting.clear()
    db.close()
    parentPort.postMessage({ type: 'closed' })
  }
})
`
