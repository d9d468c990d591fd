import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { bundleServer } from '../../../scripts/bundleServer'

/**
 * The server as its own process, for kill -9 and SIGTERM (R1, R2, shutdown). server/main.ts is
 * bundled once per test process (packages stay external) so each restart costs a Node start,
 * not a TypeScript compile: a few hundred restarts fit the suite's time.
 */
let bundle: Promise<string> | undefined
function serverBundle(): Promise<string> {
  return (bundle ??= (async () => {
    const dir = path.resolve('node_modules/.cache/faults-server', `server-${process.pid}`)
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
    return bundleServer(dir)
  })())
}

/** A port that was free a moment ago: restarts reuse it, so reconnecting clients find the server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  proc: ChildProcess
  url: string
  /** ms from spawn to "listening". */
  startMs: number
  stderr: () => string
  /** Sends the signal; resolves with the exit code or signal name. */
  kill: (signal: NodeJS.Signals) => Promise<number | string | null>
}

export async function startProcess(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const main = await serverBundle()
  const started = Date.now()
  const proc = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      CLIENT_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | string | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal)),
  )
  let err = ''
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()))
  const kill = (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
    return exited
  }
  return new Promise((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ proc, url: m[1]!, startMs: Date.now() - started, stderr: () => err, kill })
    })
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${err}${out}`)))
  })
}

/** Retries a start while the port is still held by the killed process (rare, but seen). */
export async function restartProcess(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  for (let i = 0; ; i++) {
    try {
      return await startProcess(dataDir, port, env)
    } catch (e) {
      if (i >= 20 || !/EADDRINUSE/.test(String(e))) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}
