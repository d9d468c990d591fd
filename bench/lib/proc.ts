import { readFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { execFileSync } from 'node:child_process'

/** Reads of /proc for the server under test: its memory, its CPU time and its disk writes. */

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /VmRSS:\s+(\d+) kB/.exec(status)
  return m ? Number(m[1]) * 1024 : Number.NaN
}

export function writeBytes(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8')
  const m = /^write_bytes:\s+(\d+)/m.exec(io)
  return m ? Number(m[1]) : Number.NaN
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
  } catch {
    return 100
  }
})()

/** CPU seconds (user + system) the process has used so far; `main` counts its main thread only. */
export function cpuSeconds(pid: number, main = false): number {
  const stat = readFileSync(main ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / clockTicks
}

/** Generator CPU over a window, as a fraction of one core. */
export class CpuMeter {
  private cpu = process.cpuUsage()
  private wall = performance.now()
  fraction(): number {
    return this.seconds() / ((performance.now() - this.wall) / 1000)
  }
  /** CPU seconds the generator used since the meter started. */
  seconds(): number {
    const d = process.cpuUsage(this.cpu)
    return (d.user + d.system) / 1e6
  }
}

/**
 * P14: CPU microseconds per delivered update — a process's CPU over the measured window divided
 * by the deliveries of the edits scheduled in it (every recipient of every edit counts once).
 */
export const microsPer = (cpuSeconds: number, deliveries: number): number =>
  deliveries > 0 ? (cpuSeconds * 1e6) / deliveries : Number.NaN

export function hasTaskset(): boolean {
  return existsSync('/usr/bin/taskset') || existsSync('/bin/taskset')
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

export function machine(): { nproc: number; model: string } {
  let model = 'unknown'
  let nproc = 0
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    model = /model name\s*:\s*(.*)/.exec(info)?.[1]?.trim() ?? model
    nproc = (info.match(/^processor\s*:/gm) ?? []).length
  } catch {
    /* not Linux */
  }
  return { nproc, model }
}
