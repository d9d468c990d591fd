/** What `probeProblem` answers for a probe that did not settle in time. */
export const LATE = Symbol('late')

/**
 * A health probe's answer within `ms`: null when it answered, its error's message when it failed,
 * `LATE` when it did not settle in time. The timer never keeps the process alive and is cleared
 * as soon as the probe settles.
 */
export async function probeProblem(
  probe: () => Promise<unknown>,
  ms: number,
): Promise<string | typeof LATE | null> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms)
    timer.unref()
  })
  try {
    return await Promise.race([
      Promise.resolve()
        .then(probe)
        .then(
          () => null,
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        ),
      late,
    ])
  } finally {
    clearTimeout(timer)
  }
}
