import type { Socket } from 'socket.io-client'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { applyPatch } from '../../../shared/protocol/patch'
import type { BoardEvent } from '../../../shared/protocol/board'
import type { Func, Phase } from '../../../shared/domain/types'
import { SyncClient, until } from './syncClient'
import { createReview, postJson, type CreatedReview } from './testServer'
import { wireSocket } from './wireSocket'

/**
 * Helpers for critique, rounds and export tests: people with functions, a client whose board
 * follows the server's patches, commands that must succeed, and a raw recorder socket.
 */

export interface Person {
  participantId: string
  token: string
}

export async function joinAs(
  url: string,
  inviteUrl: string,
  name: string,
  fn: Func,
): Promise<Person & { roles: string[] }> {
  const code = inviteUrl.split('/join/')[1]
  const res = await postJson(`${url}/api/invites/${code}/join`, { name, function: fn })
  if (res.status !== 201) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** A SyncClient whose `board` is kept up to date from `board:state` and every `board:event` patch. */
export class BoardClient extends SyncClient {
  private n = 0
  constructor(
    url: string,
    readonly person: Person,
    // Random per client: a second connection of the same person must not reuse command ids.
    private readonly prefix = Math.random().toString(36).slice(2, 10),
  ) {
    super(url, person.token)
    this.socket.on('board:event', (e: BoardEvent) => {
      if (this.board) this.board = applyPatch(this.board, e.patch, e.seq)
    })
  }

  async ready(): Promise<this> {
    await this.synced
    await until(() => this.board !== null)
    return this
  }

  nextId(): string {
    return `${this.prefix}-${++this.n}`
  }

  /** Sends a command (a fresh commandId unless given) and fails the test unless it is accepted. */
  async ok(type: string, fields: Record<string, unknown> = {}): Promise<{ seq: number; cardId?: string }> {
    const ack = await this.command({ type, commandId: this.nextId(), ...fields })
    if (!ack.ok) throw new Error(`${type} refused: ${ack.error.code} ${ack.error.message}`)
    return ack
  }

  async advance(...phases: Phase[]): Promise<void> {
    for (const to of phases) {
      await this.ok('phase.advance', { to })
      await until(() => this.board?.phase === to)
    }
  }

  /** Writes a card and returns its id. */
  async card(body: string, severity = 'structural', kind = 'concern'): Promise<string> {
    const ack = await this.ok('card.create', { body, severity, kind })
    expect(ack.cardId).toBeTruthy()
    return ack.cardId!
  }
}

/** Starts a review with the facilitator (also author) and connected clients for each person. */
export async function reviewWith(
  url: string,
  markdown?: string,
): Promise<{ review: CreatedReview; fac: BoardClient }> {
  const review = await createReview(url, markdown)
  const fac = await new BoardClient(url, review).ready()
  return { review, fac }
}

/** Appends text to the first paragraph after the heading that starts with `heading`. */
export function appendToSection(doc: Y.Doc, heading: string, text: string): void {
  const blocks = doc.getXmlFragment('prfaq').toArray()
  const at = blocks.findIndex(
    (b) => b instanceof Y.XmlElement && b.nodeName === 'heading' && b.toArray().join('').startsWith(heading),
  )
  const para = blocks.slice(at + 1).find((b) => b instanceof Y.XmlElement && b.nodeName === 'paragraph')
  if (at < 0 || !(para instanceof Y.XmlElement)) throw new Error(`no paragraph under "${heading}"`)
  const t = para.toArray().find((x): x is Y.XmlText => x instanceof Y.XmlText)
  if (!t) throw new Error('paragraph without text')
  t.insert(t.length, text)
}

/** Every heading text of the document, in order. */
export function headingTexts(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('prfaq')
    .toArray()
    .filter((b): b is Y.XmlElement => b instanceof Y.XmlElement && b.nodeName === 'heading')
    .map((b) =>
      b
        .toArray()
        .map((x) => (x instanceof Y.XmlText ? x.toString() : ''))
        .join(''),
    )
}

export interface Recorded {
  event: string
  args: unknown[]
}

/**
 * A raw socket that keeps everything the server sends it, binary included (as text, so a card
 * body inside a Yjs update would be found by a text search). Reconnects on demand.
 */
export class Recorder {
  readonly log: Recorded[] = []
  socket!: Socket

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async connect(): Promise<void> {
    this.socket = wireSocket(this.url, this.token)
    this.socket.onAny((event: string, ...args: unknown[]) => this.log.push({ event, args }))
    const states = this.log.filter((r) => r.event === 'board:state').length
    await until(() => this.log.filter((r) => r.event === 'board:state').length > states)
  }

  disconnect(): void {
    this.socket.close()
  }

  /** The recording as one string; `omit` drops keys (e.g. the public roster) before searching. */
  text(omit: readonly string[] = []): string {
    return JSON.stringify(this.log, (key, value: unknown) => {
      if (omit.includes(key)) return undefined
      if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1')
      if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer')
        return Buffer.from((value as { data: number[] }).data).toString('latin1')
      return value
    })
  }
}
