import fs from 'node:fs'
import path from 'node:path'
import express, { type Express } from 'express'

/** Serves the built client with an SPA fallback, when it has been built (`npm start` builds it). */
export function serveClient(app: Express, clientDir: string): boolean {
  const dir = path.resolve(clientDir)
  const index = path.join(dir, 'index.html')
  if (!fs.existsSync(index)) return false
  app.use(express.static(dir, { index: false, maxAge: '1h' }))
  app.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(index)
  })
  return true
}
