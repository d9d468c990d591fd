import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The server bundled with esbuild (packages stay external) into `outdir`, for the bench and the
 * fault tests: many server starts then cost a Node start each, not a TypeScript compile. The
 * document worker is built beside it (`docWorkerMain.mjs`), where server/doc/docWorker.ts looks
 * for it when it runs from a bundle. Returns the path of `main.mjs`.
 */
export async function bundleServer(outdir: string): Promise<string> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: {
      main: path.join(root, 'server/main.ts'),
      docWorkerMain: path.join(root, 'server/doc/docWorkerMain.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  })
  return path.join(outdir, 'main.mjs')
}
