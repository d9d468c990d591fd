import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './processes'

/**
 * A PostgreSQL 15 cluster of its own (initdb in a temporary folder, a free port, trust auth on
 * loopback), so a test can stop it with `-m immediate` and start it again without touching the
 * shared cluster other tests use. PostgreSQL refuses to run as root: as root, the folder goes to
 * the `postgres` user and every command runs as that user.
 */
export interface ThrowawayCluster {
  port: number
  /** The data directory (its postmaster.pid names the server's pid). */
  data: string
  /** postgres://root@127.0.0.1:port/prfaq */
  url: string
  stopImmediate: () => void
  start: () => void
  destroy: () => void
}

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'

export interface ClusterOptions {
  /** Pin the cluster's processes to these CPUs (`taskset -c`), as the benchmark pins servers. */
  cpus?: string
  /** More `-c name=value` server settings. */
  settings?: string[]
}

export async function throwawayCluster(options: ClusterOptions = {}): Promise<ThrowawayCluster> {
  if (!fs.existsSync(path.join(BIN, 'initdb')))
    throw new Error(
      `PostgreSQL 15 binaries are required by this test and are missing in ${BIN} (apt-get install postgresql).`,
    )
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prfaq-pgcluster-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir])
  const run = (cmd: string, args: string[], pin = false) => {
    const line = [
      ...(pin && options.cpus ? ['taskset', '-c', options.cpus] : []),
      path.join(BIN, cmd),
      ...args,
    ]
    return execFileSync(
      asRoot ? 'runuser' : line[0]!,
      asRoot ? ['-u', 'postgres', '--', ...line] : line.slice(1),
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: os.tmpdir(),
      },
    )
  }
  const data = path.join(dir, 'data')
  const port = await freePort()
  run('initdb', ['-D', data, '-U', 'root', '-A', 'trust', '--no-sync', '-E', 'UTF8'])
  const settings = ['shared_buffers=16MB', 'max_connections=30', ...(options.settings ?? [])]
  const start = () =>
    run(
      'pg_ctl',
      [
        '-D',
        data,
        '-l',
        path.join(dir, 'log'),
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${settings.map((s) => `-c ${s}`).join(' ')}`,
        'start',
      ],
      true,
    )
  start()
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'root', 'prfaq'])
  const stopImmediate = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
  return {
    port,
    data,
    url: `postgres://root@127.0.0.1:${port}/prfaq`,
    stopImmediate,
    start,
    destroy: () => {
      try {
        stopImmediate()
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
