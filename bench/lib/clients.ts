import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { connect, connectObserver, type Address, type Wire } from './wire'
import { rng, word, type EditLog } from './editlog'
import type { Recorder } from './stats'

/**
 * The two kinds of simulated participant, written once and used against both servers.
 * - FullClient: a real Yjs peer (handshake, applies everything, edits on a schedule).
 * - Observer: decodes arrivals only, timestamps them through the EditLog; never applies.
 */

export const REMOTE = Symbol('remote')
/** How long a writer that is not typing leaves remote updates unapplied (see `FullClient.remote`). */
const APPLY_MS = 50
export const FRAGMENT = 'prfaq'

export interface Meters {
  log: EditLog
  /** Edit scheduled → visible at another client. */
  visible?: Recorder
  /** Edit scheduled → acknowledged (ours: saved; baseline: its own echo, it has no acks). */
  ack?: Recorder
}

export class FullClient {
  readonly doc = new Y.Doc()
  synced: Promise<void>
  private resolveSynced!: () => void
  private pendingAcks = 0
  private drained: (() => void)[] = []
  private barrier: (() => void) | null = null
  private sched = Number.NaN
  private texts: Y.XmlText[] | null = null
  private random: () => number
  ackFailures = 0
  /** Bytes of the Yjs updates this client produced (what the server must save). */
  updateBytes = 0

  constructor(
    readonly wire: Wire,
    private meters: Meters | null,
    seed = 1,
  ) {
    this.random = rng(seed)
    this.synced = new Promise((r) => (this.resolveSynced = r))
    wire.listen((msg) => this.receive(msg))
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return
      this.updateBytes += update.byteLength
      const encoder = encoding.createEncoder()
      syncProtocol.writeUpdate(encoder, update)
      this.send(encoding.toUint8Array(encoder), this.sched)
    })
    const encoder = encoding.createEncoder()
    syncProtocol.writeSyncStep1(encoder, this.doc)
    this.send(encoding.toUint8Array(encoder), Number.NaN)
  }

  static async open(addr: Address, meters: Meters | null, seed = 1): Promise<FullClient> {
    return new FullClient(await connect(addr), meters, seed)
  }

  private send(msg: Uint8Array, sched: number): void {
    if (this.wire.kind !== 'ours') return this.wire.sendSync(msg)
    this.pendingAcks++
    this.wire.sendSync(msg, (ok) => {
      if (!ok) this.ackFailures++
      else if (!Number.isNaN(sched)) this.meters?.ack?.record(sched, performance.now())
      this.pendingAcks--
      if (this.drained.length > 0) for (const fn of this.drained.splice(0)) fn()
    })
  }

  /**
   * Remote updates not yet applied: a writer applies what arrived in one transaction before its
   * next edit, or every `APPLY_MS` when it is not typing. One transaction per update cost the
   * generator ~20 % of its core in P5 (20 writers × 500 updates/s each), which made the 50/s step
   * generator-bound (P15). Arrivals are timed as they come, so no figure moves; the server sees
   * the same updates, their positions chosen in a document at most `APPLY_MS` behind.
   */
  private remote: Uint8Array[] = []
  private applyTimer: NodeJS.Timeout | null = null

  private receive(msg: Uint8Array): void {
    const now = performance.now()
    const type = msg[0]
    if (type === syncProtocol.messageYjsUpdate) {
      const d = decoding.createDecoder(msg)
      decoding.readVarUint(d)
      const update = decoding.readVarUint8Array(d)
      const me = this.doc.clientID
      this.meters?.log.delivered(update, (client, t) => {
        // The baseline has no acks: its echo of our own edit stands in for one.
        if (client === me) {
          if (this.wire.kind === 'baseline') this.meters?.ack?.record(t, now)
        } else this.meters?.visible?.record(t, now)
      })
      this.remote.push(Uint8Array.from(update)) // a copy: the view's frame is not kept alive
      this.applyTimer ??= setTimeout(() => this.applyRemote(), APPLY_MS)
      return
    }
    this.applyRemote() // in order: what arrived before this message is in the document first
    const decoder = decoding.createDecoder(msg)
    const encoder = encoding.createEncoder()
    syncProtocol.readSyncMessage(decoder, encoder, this.doc, REMOTE)
    if (encoding.length(encoder) > 0) this.send(encoding.toUint8Array(encoder), Number.NaN)
    if (type === syncProtocol.messageYjsSyncStep2) {
      this.resolveSynced()
      if (this.barrier) {
        const b = this.barrier
        this.barrier = null
        b()
      }
    }
  }

  private applyRemote(): void {
    if (this.applyTimer) clearTimeout(this.applyTimer)
    this.applyTimer = null
    const updates = this.remote
    if (updates.length === 0) return
    this.remote = []
    this.doc.transact(() => {
      for (const u of updates) Y.applyUpdate(this.doc, u, REMOTE)
    }, REMOTE)
  }

  /** One scheduled edit: a word typed at a random place of a random text block. */
  edit(scheduledAt: number): void {
    this.applyRemote()
    const texts = this.textBlocks()
    if (texts.length === 0) throw new Error('document has no text block to edit')
    const text = texts[Math.floor(this.random() * texts.length)] as Y.XmlText
    const pos = Math.floor(this.random() * (text.length + 1))
    const clock = Y.getState(this.doc.store, this.doc.clientID)
    this.meters?.log.add(this.doc.clientID, clock, scheduledAt)
    this.sched = scheduledAt
    text.insert(pos, word(this.random) + ' ')
    this.sched = Number.NaN
  }

  /** Applies local (non-remote) bytes, e.g. a fixture, and sends them as an update. */
  applyLocal(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, 'local')
    this.texts = null
  }

  private textBlocks(): Y.XmlText[] {
    if (this.texts && this.texts.length > 0) return this.texts
    const out: Y.XmlText[] = []
    for (const el of this.doc.getXmlFragment(FRAGMENT).toArray()) {
      if (el instanceof Y.XmlElement) for (const c of el.toArray()) if (c instanceof Y.XmlText) out.push(c)
    }
    this.texts = out
    return out
  }

  /** Ours: resolves once fewer than `n` messages await their ack (a pipelined writer's window). */
  inFlightBelow(n: number): Promise<void> {
    if (this.wire.kind !== 'ours' || this.pendingAcks < n) return Promise.resolve()
    return new Promise((resolve) => {
      const check = () => (this.pendingAcks < n ? resolve() : this.drained.push(check))
      this.drained.push(check)
    })
  }

  get inFlight(): number {
    return this.pendingAcks
  }

  /** Resolves when everything sent so far was processed: ours — all acked; baseline — a step-1 round trip. */
  flush(timeoutMs = 30_000): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        if (this.wire.kind === 'ours') {
          const check = () => (this.pendingAcks === 0 ? resolve() : this.drained.push(check))
          check()
          return
        }
        this.barrier = resolve
        const encoder = encoding.createEncoder()
        syncProtocol.writeSyncStep1(encoder, this.doc)
        this.wire.sendSync(encoding.toUint8Array(encoder))
      }),
      timeoutMs,
      'flush',
    )
  }

  stateVector(): Map<number, number> {
    this.applyRemote()
    return Y.decodeStateVector(Y.encodeStateVector(this.doc))
  }

  content(): string {
    this.applyRemote()
    return this.doc.getXmlFragment(FRAGMENT).toString()
  }

  close(): void {
    if (this.applyTimer) clearTimeout(this.applyTimer)
    this.remote = []
    this.wire.close()
    this.doc.destroy()
  }
}

const EMPTY_STEP2 = (() => {
  const encoder = encoding.createEncoder()
  syncProtocol.writeSyncStep2(encoder, new Y.Doc())
  return encoding.toUint8Array(encoder)
})()

export class Observer {
  synced: Promise<number>
  private resolveSynced!: (t: number) => void
  syncBytes = 0

  constructor(
    readonly wire: Wire,
    private meters: Meters | null,
  ) {
    this.synced = new Promise((r) => (this.resolveSynced = r))
    wire.listen((msg) => this.receive(msg))
    // An empty state vector: "send me everything", as a fresh browser tab does.
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1)
    encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
    wire.sendSync(encoding.toUint8Array(encoder))
  }

  static async open(addr: Address, meters: Meters | null): Promise<Observer> {
    return new Observer(await connectObserver(addr), meters)
  }

  private receive(msg: Uint8Array): void {
    const now = performance.now()
    const type = msg[0]
    if (type === syncProtocol.messageYjsSyncStep1) {
      this.wire.sendSync(EMPTY_STEP2)
    } else if (type === syncProtocol.messageYjsSyncStep2) {
      this.syncBytes = msg.byteLength
      this.resolveSynced(now)
    } else if (type === syncProtocol.messageYjsUpdate && this.meters) {
      const d = decoding.createDecoder(msg)
      decoding.readVarUint(d)
      const update = decoding.readVarUint8Array(d)
      if (this.meters.visible) this.meters.log.arrived(update, now, this.meters.visible)
    }
  }

  close(): void {
    this.wire.close()
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
    p.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e) => {
        clearTimeout(timer)
        reject(e)
      },
    )
  })
}
