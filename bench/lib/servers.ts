import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { bundleServer } from '../../scripts/bundleServer'
import { databaseFor } from './postgres'
import { freePort, hasTaskset } from './proc'
import { sleep } from './stats'

/**
 * The servers under test, each its own process pinned to core 0 (the generator runs on core 1):
 * ours (`server/main.ts` under tsx) and the reference `@y/websocket-server@0.1.1`, started the
 * way its `bin` starts it. Readiness is "answers HTTP", the same test for both.
 */

export type Kind = 'ours' | 'baseline'

/** Where our server keeps its data: SQLite in its DATA_DIR (the default), or PostgreSQL (`--store postgres`). */
export type StoreKind = 'sqlite' | 'postgres'
let store: StoreKind = 'sqlite'
/** The store our servers started from now on use (the runner sets it per variant). */
export function useStore(kind: StoreKind): void {
  store = kind
}
export const currentStore = (): StoreKind => store

export interface ServerHandle {
  kind: Kind
  /** Ours only: the store it runs on. */
  store?: StoreKind
  port: number
  url: string
  pid: number
  dataDir: string
  /** Graceful stop (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>
  /** kill -9, as a crash. */
  kill9(): Promise<void>
  exited: boolean
  /** Set when started with `inspect`. */
  inspectPort?: number
  /** The exit code (or signal name) once it exited. */
  exitCode?: number | string | null
  /** Resolves with the exit code (or signal name) when the process exits. */
  exit: Promise<number | string | null>
}

export const ROOT = resolve(import.meta.dirname, '../..')
const RESULTS = join(ROOT, 'bench/results')

export interface StartOptions {
  /** Reuse a data directory (restart scenarios); a fresh one otherwise. */
  dataDir?: string
  /** Baseline only: persist with y-leveldb (YPERSISTENCE), so saving scenarios compare saving servers. */
  persist?: boolean
  /** A label for the log file. */
  label?: string
  /** Listen on this port (a restart keeps the address clients know). */
  port?: number
  /** Open the V8 inspector on loopback, so the harness can force a GC and read the heap (memory scenarios). */
  inspect?: boolean
  /** Ours: this store instead of the runner's current one (`--cluster` runs on PostgreSQL). */
  store?: StoreKind
  /** Ours: more environment (`--cluster`: REDIS_URL, NODE_NAME, a shared PUBLIC_URL and SECRET_KEY). */
  env?: Record<string, string>
}

/**
 * Our server bundled once per bench process (packages external, like the fault tests do): each
 * of the many server starts then costs a Node start, not a TypeScript compile.
 */
let bundle: Promise<string> | undefined
export function serverBundle(): Promise<string> {
  return (bundle ??= (async () => {
    const dir = join(RESULTS, '.build', `server-${process.pid}`)
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    return bundleServer(dir)
  })())
}

export function freshDataDir(): string {
  const base = join(ROOT, '.tmp', 'bench-data')
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, 'd-'))
}

export async function startServer(kind: Kind, opts: StartOptions = {}): Promise<ServerHandle> {
  const port = opts.port ?? (await freePort())
  const inspectPort = opts.inspect ? await freePort() : undefined
  const node = inspectPort ? [process.execPath, `--inspect=127.0.0.1:${inspectPort}`] : [process.execPath]
  // `--profile`: V8 CPU profiles of our server, written when it exits (see bench/profile.ts).
  if (kind === 'ours' && process.env.BENCH_CPU_PROF)
    node.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`)
  if (process.env.BENCH_NODE_FLAGS) node.push(...process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean))
  const dataDir = opts.dataDir ?? freshDataDir()
  const url = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  }
  delete env.BENCH_CHILD
  let args: string[]
  if (kind === 'ours') {
    Object.assign(env, {
      DATA_DIR: dataDir,
      PUBLIC_URL: url,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    })
    if ((opts.store ?? store) === 'postgres') env.DATABASE_URL = await databaseFor(dataDir)
    else delete env.DATABASE_URL
    Object.assign(env, opts.env)
    args = [...node, await serverBundle()]
  } else {
    if (opts.persist) env.YPERSISTENCE = join(dataDir, 'leveldb')
    args = [...node, 'node_modules/@y/websocket-server/src/server.js']
  }
  const cmd = hasTaskset() ? 'taskset' : (args.shift() as string)
  if (cmd === 'taskset') args.unshift('-c', '0')
  const child: ChildProcess = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  mkdirSync(join(RESULTS, 'logs'), { recursive: true })
  const log = createWriteStream(join(RESULTS, 'logs', `${opts.label ?? 'server'}-${kind}.log`), {
    flags: 'a',
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  const handle: ServerHandle = {
    kind,
    store: kind === 'ours' ? (opts.store ?? store) : undefined,
    port,
    url,
    pid: child.pid as number,
    dataDir,
    exited: false,
    inspectPort,
    stop: () => stopChild(child, 'SIGTERM', handle),
    kill9: () => stopChild(child, 'SIGKILL', handle),
    exit: new Promise((resolveExit) =>
      child.once('exit', (code, signal) => {
        handle.exited = true
        handle.exitCode = code ?? signal
        resolveExit(code ?? signal)
      }),
    ),
  }
  await waitReady(handle, kind === 'ours' ? '/healthz' : '/')
  return handle
}

async function waitReady(h: ServerHandle, path: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (h.exited) throw new Error(`${h.kind} server exited during start-up (see bench/results/logs)`)
    try {
      const res = await fetch(h.url + path)
      if (res.ok) return
    } catch {
      /* not listening yet */
    }
    await sleep(25)
  }
  throw new Error(`${h.kind} server did not answer within 60 s`)
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals, h: ServerHandle): Promise<void> {
  if (h.exited) return Promise.resolve()
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolveStop()
    })
    child.kill(signal)
  })
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
