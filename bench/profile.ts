import { readFileSync } from 'node:fs'

/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile`): self time per function and
 * per module (a package in node_modules, a file of ours, or V8/Node internals), so a slow path
 * shows up as a line with a share of the server's CPU.
 * Usage: node --import tsx bench/profile.ts <file.cpuprofile> [top=30]
 */

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const [file, topArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: node --import tsx bench/profile.ts <file.cpuprofile> [top]')
  process.exit(2)
}
const top = Number(topArg ?? 30)
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))

const moduleOf = (url: string): string => {
  if (!url) return '(native / V8)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url)
  }
  if (url.startsWith('node:')) return url
  const m = /\/(server|shared)\/(.*)$/.exec(url)
  return m ? `${m[1]}/${m[2]}` : url
}

const total = [...self.values()].reduce((a, b) => a + b, 0)
const fnTimes = new Map<string, number>()
const modTimes = new Map<string, number>()
for (const [id, us] of self) {
  const n = byId.get(id)
  if (!n) continue
  const { functionName, url, lineNumber } = n.callFrame
  const key = `${functionName || '(anonymous)'}  ${moduleOf(url)}:${lineNumber + 1}`
  fnTimes.set(key, (fnTimes.get(key) ?? 0) + us)
  const mod =
    functionName === '(idle)' ? '(idle)' : functionName === '(garbage collector)' ? '(gc)' : moduleOf(url)
  modTimes.set(mod, (modTimes.get(mod) ?? 0) + us)
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`
const wall = (profile.endTime - profile.startTime) / 1e6
console.log(`${file}: ${wall.toFixed(1)} s profiled\n\nby module (self time):`)
for (const [k, v] of [...modTimes].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
console.log('\nby function (self time):')
for (const [k, v] of [...fnTimes].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)

// Inclusive time of our own functions (server/, shared/): where a request path spends its time.
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const inclusive = new Map<string, number>()
profile.samples.forEach((id, i) => {
  const seen = new Set<string>()
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)
    if (!n) break
    const mod = moduleOf(n.callFrame.url)
    if (!mod.startsWith('server/') && !mod.startsWith('shared/')) continue
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${mod}:${n.callFrame.lineNumber + 1}`
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
})
console.log('\nour functions, inclusive time:')
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`)
