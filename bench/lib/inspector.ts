import WebSocket from 'ws'
import type { ServerHandle } from './servers'

/**
 * The server's V8 heap, read through the inspector (started with `--inspect` on loopback): a
 * full GC first, so the figure is live memory rather than garbage not yet collected.
 * Works the same for both servers, without touching their code.
 */
export async function heapAfterGc(server: ServerHandle): Promise<number> {
  if (!server.inspectPort) throw new Error('server was not started with inspect')
  const list = (await (await fetch(`http://127.0.0.1:${server.inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string
  }[]
  const url = list[0]?.webSocketDebuggerUrl
  if (!url) throw new Error('no inspector target')
  const ws = new WebSocket(url)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let id = 0
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const my = ++id
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as {
          id?: number
          result?: Record<string, unknown>
          error?: unknown
        }
        if (msg.id !== my) return
        ws.off('message', onMessage)
        if (msg.error) reject(new Error(JSON.stringify(msg.error)))
        else resolve(msg.result ?? {})
      }
      ws.on('message', onMessage)
      ws.send(JSON.stringify({ id: my, method }))
    })
  try {
    await call('HeapProfiler.collectGarbage')
    const usage = await call('Runtime.getHeapUsage')
    return Number(usage.usedSize)
  } finally {
    ws.close()
  }
}
