/**
 * A health probe's answer within `ms`: why it failed (its error's message), "late" when it did
 * not settle in time, or null when it answered. The timer never keeps the process alive and is
 * cleared as soon as the probe settles.
 */
export async function probeProblem(probe: () => Promise<unknown>, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms)
    timer.unref()
  })
  try {
    return await Promise.race([
      Promise.resolve()
        .then(probe)
        .then(
          () => null,
          (e: unknown) => (e as Error)?.message ?? String(e),
        ),
      late,
    ])
  } finally {
    clearTimeout(timer)
  }
}
