/**
 * What the benchmarks share: how they describe the machine and write what they saw into a document, between its
 * markers; medians; the healthy declaration their holders make.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** The item whose `key` is the median (the upper one of an even count); undefined when there is none. */
export function medianBy<T>(xs: readonly T[], key: (x: T) => number): T | undefined {
  const s = [...xs].sort((a, b) => key(a) - key(b));
  return s[Math.floor(s.length / 2)];
}

/** The median of numbers (the upper one of an even count); NaN when there is none. */
export function median(xs: readonly number[]): number {
  return medianBy(xs, (x) => x) ?? NaN;
}

/** Answers 200 per second of a load (bench/load-client.ts). */
export const perSecond = (r: { readonly ok: { readonly count: number }; readonly seconds: number }): number =>
  r.ok.count / r.seconds;

/** Milliseconds as a table shows them: one decimal below 10, none above; – for none. */
export const ms = (v: number | null): string => (v === null ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));

/** Node version, cores and CPU model, memory. */
export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${String(cpus().length)} × ${cpu}, ${String(Math.round(totalmem() / 2 ** 30))} GiB`;
}

/**
 * Replaces the block between `<!-- NAME:start -->` and `<!-- NAME:end -->` in `target` with a "Measured … on
 * ABOUT." line and `body`. Returns false, writing nothing, when the document has no such block.
 */
export function writeBlock(target: string, name: string, about: string, body: readonly string[]): boolean {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = readFileSync(target, 'utf8');
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) return false;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const block = [start, '', `Measured ${when} UTC on ${about}.`, '', ...body, '', end].join('\n');
  writeFileSync(target, `${doc.slice(0, a)}${block}${doc.slice(b + end.length)}`);
  return true;
}

/** A healthy holder's declaration (Shenzhen), as the benchmarks' holders make it. */
export const HEALTHY_DECLARATION = {
  householdRegion: '440305',
  address: '深圳市南山区科技园南区1号',
  temperature: 36.6,
  symptoms: [],
  contactWithCases: false,
  recentCities: ['440300'],
  underlyingConditions: '',
};
