#!/usr/bin/env node
/**
 * `npm start`: builds the client with Vite when dist/client is missing or older than its
 * sources, then runs the server IN THIS PROCESS (tsx registered as the loader), so one pid
 * serves and a signal sent to it reaches the server's own graceful shutdown.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const built = path.join(root, 'dist/client/index.html')
const sources = ['client', 'shared', 'index.html', 'vite.config.ts', 'package.json'].map((p) =>
  path.join(root, p),
)

/** The newest modification time under the given paths (files and folders, recursively). */
function newest(paths) {
  let max = 0
  const visit = (p) => {
    let st
    try {
      st = fs.statSync(p)
    } catch {
      return
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== 'node_modules') visit(path.join(p, name))
    } else max = Math.max(max, st.mtimeMs)
  }
  paths.forEach(visit)
  return max
}

function needsBuild() {
  if (!fs.existsSync(built)) return true
  return newest(sources) > fs.statSync(built).mtimeMs
}

if (needsBuild()) {
  console.log('Building the client…')
  const vite = path.join(root, 'node_modules/.bin/vite')
  const result = spawnSync(vite, ['build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('The client build failed; see above.')
    process.exit(result.status ?? 1)
  }
}

process.chdir(root)
const { register } = await import('tsx/esm/api')
register()
await import(pathToFileURL(path.join(root, 'server/main.ts')).href)
