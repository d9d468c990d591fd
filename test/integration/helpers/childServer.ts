import { spawn, type ChildProcess } from 'node:child_process'

export interface ChildServer {
  proc: ChildProcess
  url: string
  /** Resolves with the exit code, or the signal that ended the process. */
  kill: (signal: NodeJS.Signals) => Promise<number | string | null>
}

/** Runs server/main.ts as its own process (the way `npm start` serves) and reads its address. */
export function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | string | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal)),
  )
  const kill = (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
    return exited
  }
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ proc, url: m[1]!, kill })
    })
    proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${err}${out}`)))
  })
}
