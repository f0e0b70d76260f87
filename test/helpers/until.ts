/**
 * Waits until `ok()` holds, asking again every `everyMs`; fails after `timeoutMs` of wall-clock time (a guard
 * against a hang, not a measure) naming what it waited for.
 */
export async function until(
  what: string,
  ok: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 25,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`waited ${String(timeoutMs)} ms for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
