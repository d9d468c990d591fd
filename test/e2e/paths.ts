import path from 'node:path'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const E2E_CLIENT_DIR = path.resolve(import.meta.dirname, '../../dist/e2e-client')
export const SCREENS_DIR = path.resolve(import.meta.dirname, '../../.tmp/screens')
export const AXE_PATH = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js')
