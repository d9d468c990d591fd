import fs from 'node:fs'
import path from 'node:path'
import { build } from 'vite'
import { CHROMIUM_PATH, E2E_CLIENT_DIR } from './paths'

/**
 * Builds the client once for all browser tests (into its own folder, so a concurrent `npm start`
 * build cannot race us), plus a small wire-test bundle the wire test loads into a page.
 */
export default async function setup(): Promise<void> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )
  }
  const root = path.resolve(import.meta.dirname, '../..')
  await build({
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: E2E_CLIENT_DIR, emptyOutDir: true },
  })
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir: E2E_CLIENT_DIR,
      emptyOutDir: false,
      copyPublicDir: false,
      lib: {
        entry: path.join(import.meta.dirname, 'fixtures/wireClient.ts'),
        formats: ['es'],
        fileName: () => 'wire-test.js',
      },
    },
  })
}
