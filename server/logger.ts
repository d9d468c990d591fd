import pino from 'pino'

/** What the server logs through; pino in production, a silent one in tests. */
export type Logger = Pick<pino.Logger, 'info' | 'warn' | 'error' | 'debug'>

export const createLogger = (level = 'info'): Logger => pino({ level })
export const silentLogger = (): Logger => pino({ level: 'silent' })
