import { onScopeDispose, ref, watch, type Ref } from 'vue'

export interface ReadingReport {
  percent: number
  sectionsRead: string[]
  done: boolean
}

const TICK_MS = 500
const REPORT_EVERY_MS = 2000

/**
 * Which sections this reader has read: a section (a heading and the blocks under it) counts once
 * some of it has been on screen for `dwellMs` in total. Reports are throttled and sent only when
 * something changed. Runs while `active` (the reading phase). A new `round` starts from nothing
 * (or from what the server holds for it), never from the last round's progress.
 */
export function useReadingProgress(
  root: Ref<HTMLElement | null>,
  active: Ref<boolean>,
  round: Ref<number>,
  report: (r: ReadingReport) => void,
  /** What the server already holds for this reader this round (after a reload): never go back. */
  initial: () => ReadingReport | null = () => null,
  dwellMs = 3000,
) {
  const sections = ref<string[]>([])
  const read = ref<string[]>([])
  const done = ref(false)
  const percent = ref(0)

  let observer: IntersectionObserver | null = null
  let mutations: MutationObserver | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  const visible = new Set<Element>()
  const sectionOf = new Map<Element, string>()
  const dwell = new Map<string, number>()
  let lastSent = ''
  let lastSentAt = 0
  let startedRound: number | null = null

  /** Forgets the previous round's reading, so a new round's progress starts at zero. */
  function resetFor(r: number) {
    startedRound = r
    read.value = []
    done.value = false
    percent.value = 0
    dwell.clear()
    lastSent = ''
    lastSentAt = 0
  }

  function scan(el: HTMLElement) {
    observer?.disconnect()
    visible.clear()
    sectionOf.clear()
    let current: string | null = null
    const names: string[] = []
    for (const block of Array.from(el.children)) {
      if (/^H[1-6]$/.test(block.tagName)) {
        current = (block.textContent ?? '').trim().slice(0, 300) || `Section ${names.length + 1}`
        if (!names.includes(current)) names.push(current)
      }
      if (current) {
        sectionOf.set(block, current)
        observer?.observe(block)
      }
    }
    sections.value = names
    read.value = read.value.filter((s) => names.includes(s))
  }

  function flush(force = false) {
    percent.value = sections.value.length ? Math.round((read.value.length / sections.value.length) * 100) : 0
    const body = { percent: percent.value, sectionsRead: read.value, done: done.value }
    const key = JSON.stringify(body)
    if (key === lastSent) return
    if (!force && Date.now() - lastSentAt < REPORT_EVERY_MS) return
    lastSent = key
    lastSentAt = Date.now()
    report(body)
  }

  function onTick() {
    const seen = new Set<string>()
    for (const el of visible) {
      const s = sectionOf.get(el)
      if (s) seen.add(s)
    }
    for (const s of seen) {
      if (read.value.includes(s)) continue
      const t = (dwell.get(s) ?? 0) + TICK_MS
      dwell.set(s, t)
      if (t >= dwellMs) read.value = [...read.value, s]
    }
    flush()
  }

  function start(el: HTMLElement) {
    if (startedRound !== round.value) resetFor(round.value)
    const known = initial()
    if (known) {
      read.value = [...new Set([...read.value, ...known.sectionsRead])]
      done.value ||= known.done
      lastSent = JSON.stringify({
        percent: known.percent,
        sectionsRead: known.sectionsRead,
        done: known.done,
      })
    }
    observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) visible.add(e.target)
        else visible.delete(e.target)
      }
    })
    let pendingScan: ReturnType<typeof setTimeout> | null = null
    mutations = new MutationObserver(() => {
      if (pendingScan) return
      pendingScan = setTimeout(() => {
        pendingScan = null
        if (observer) scan(el)
      }, 200)
    })
    mutations.observe(el, { childList: true, characterData: true, subtree: true })
    scan(el)
    timer = setInterval(onTick, TICK_MS)
  }

  function stop() {
    observer?.disconnect()
    mutations?.disconnect()
    if (timer) clearInterval(timer)
    observer = mutations = timer = null
    visible.clear()
  }

  watch(
    [root, active, round],
    ([el, on]) => {
      stop()
      if (el && on) start(el)
    },
    { immediate: true },
  )
  onScopeDispose(stop)

  function markDone() {
    done.value = true
    flush(true)
  }

  return { sections, read, percent, done, markDone }
}
