import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../../server/auth/secrets'
import { spawnServer, type ChildServer } from './helpers/childServer'
import { BoardClient, joinAs } from './helpers/reviewFlow'
import { createReview } from './helpers/testServer'

/**
 * [PA13] Invite and return codes are kept sealed: the SQLite files hold their hashes and
 * ciphertexts, never the codes; the server's logs (at debug) never name them; the key is
 * generated into DATA_DIR once and reused, so facilitators still see the links after a restart.
 */
const codeOf = (url: string) => url.split(/\/(?:join|back)\//)[1]!

function filesText(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('prfaq.sqlite'))
    .map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
    .join('\n')
}

describe('secrets at rest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-sealed-'))
  let child: ChildServer | null = null
  afterAll(async () => {
    await child?.kill('SIGKILL')
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('[PA13] stores no invite or return code in clear and logs none; links survive a restart', async () => {
    child = await spawnServer(dir, { LOG_LEVEL: 'debug' })
    let logs = ''
    child.proc.stdout!.on('data', (c: Buffer) => (logs += c.toString()))
    child.proc.stderr!.on('data', (c: Buffer) => (logs += c.toString()))
    const url = child.url

    const review = await createReview(url)
    const bo = await joinAs(url, review.invites.reviewer, 'Bo', 'legal')
    const ada = await new BoardClient(url, review).ready()
    const rotated = (await ada.command({
      type: 'invite.rotate',
      commandId: 'r1',
      role: 'decider',
    })) as unknown as {
      ok: true
      invite: string
    }
    ada.close()
    const auth = { authorization: `Bearer ${review.token}` }
    const invites = (
      await (await fetch(`${url}/api/reviews/${review.reviewId}/invites`, { headers: auth })).json()
    ).invites as Record<string, string>
    expect(invites.decider).toBe(rotated.invite)
    const back = (await (
      await fetch(`${url}/api/reviews/${review.reviewId}/return-link`, { method: 'POST', headers: auth })
    ).json()) as { url: string }
    const boBack = (await (
      await fetch(`${url}/api/reviews/${review.reviewId}/return-link`, {
        headers: { authorization: `Bearer ${bo.token}` },
      })
    ).json()) as { url: string }
    expect((await fetch(`${url}/api/back/${codeOf(back.url)}`, { method: 'POST' })).status).toBe(201)

    expect(await child.kill('SIGTERM')).toBe(0)
    child = null
    const secrets = [...Object.values(invites), rotated.invite, back.url, boBack.url, review.returnUrl].map(
      codeOf,
    )
    const text = filesText(dir)
    // The files are the right ones: each code's hash is there, the code itself is not.
    for (const code of secrets.slice(0, 4)) expect(text).toContain(hashSecret(code))
    for (const code of secrets) {
      expect(text.includes(code), `code ${code} stored in clear`).toBe(false)
      expect(logs.includes(code), `code ${code} logged`).toBe(false)
    }
    expect(logs.length).toBeGreaterThan(0)
    const keyFile = path.join(dir, 'secret.key')
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)

    child = await spawnServer(dir)
    const again = await fetch(`${child.url}/api/reviews/${review.reviewId}/invites`, { headers: auth })
    const shown = ((await again.json()) as { invites: Record<string, string> }).invites
    // Same key file, same links (the origin is the new process's port).
    for (const role of Object.keys(invites)) expect(codeOf(shown[role]!)).toBe(codeOf(invites[role]!))
    await child.kill('SIGTERM')
    child = null

    // Another key (SECRET_KEY) cannot open them: the links are then shown as unavailable, never wrong.
    child = await spawnServer(dir, { SECRET_KEY: 'another key, long enough to count' })
    const other = await fetch(`${child.url}/api/reviews/${review.reviewId}/invites`, { headers: auth })
    expect(((await other.json()) as { invites: Record<string, string | null> }).invites).toEqual({
      author: null,
      reviewer: null,
      decider: null,
      observer: null,
    })
  })
})
