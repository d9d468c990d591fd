import { describe, expect, it } from 'vitest'
import { COMMAND_FIELDS, COMMAND_TYPES, parseCommand } from '../../../shared/protocol/commands'

describe('strict command schemas', () => {
  it('[M2] the reported junk command is INVALID and names both fields', () => {
    const res = parseCommand({ type: 'settings.update', commandId: 'c', to: '__proto__', body: -1 })
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe('INVALID')
      expect(res.error.message).toContain('"to"')
      expect(res.error.message).toContain('"body"')
    }
  })

  it('[M2] an own "__proto__" field and a junk field inside an anchor are named', () => {
    const proto = parseCommand(
      JSON.parse('{"type":"timer.set","commandId":"c","seconds":5,"__proto__":{"x":1}}'),
    )
    expect(!proto.ok && proto.error.message).toContain('"__proto__"')
    const anchor = {
      start: 'a',
      end: 'b',
      quote: 'q',
      prefix: '',
      suffix: '',
      colour: 'red',
    }
    const nested = parseCommand({ type: 'note.save', commandId: 'c', body: 'b', anchor })
    expect(!nested.ok && nested.error.message).toContain('"anchor.colour"')
  })

  it('[M2] every command type refuses a field it does not define, even with its other fields wrong', () => {
    for (const type of COMMAND_TYPES) {
      expect(COMMAND_FIELDS[type]).toContain('commandId')
      const res = parseCommand({ type, commandId: 'c', tpyo: 1 })
      expect(res.ok ? 'ok' : res.error.message, type).toContain('"tpyo"')
    }
  })
})
