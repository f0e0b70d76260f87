/** What the record-loading commands print: a progress bar on a terminal, then the report as JSON. */
import { ERRORS, type ErrorCode } from '../errors/registry.ts';

export type Progress = (fraction: number | undefined, text: string) => void;

/** A one-line progress bar on stderr, only when stderr is a terminal; `end()` finishes the line. */
export function progressBar(): { update: Progress; end: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const width = 30;
  return {
    update(fraction, text) {
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(Math.min(fraction, 1) * width)).padEnd(width)}] ${(Math.min(fraction, 1) * 100).toFixed(0).padStart(3)}%  `;
      process.stderr.write(`\r${bar}${text}`);
    },
    end() {
      process.stderr.write('\n');
    },
  };
}

/** Prints a report whose rejected records get their messages; exit code 0 when nothing was rejected, else 1. */
export function printRecordReport(report: { rejected: readonly { code: ErrorCode }[] }): number {
  const rejected = report.rejected.map((r) => ({
    ...r,
    message: ERRORS[r.code].message,
    messageEn: ERRORS[r.code].messageEn,
  }));
  process.stdout.write(`${JSON.stringify({ ...report, rejected }, null, 2)}\n`);
  return report.rejected.length === 0 ? 0 : 1;
}
