/**
 * Chinese (and Latin) text in a PDF with no font installed on the machine: Noto Sans SC, regular, as the npm
 * package @fontsource/noto-sans-sc ships it — about a hundred files, each covering a set of characters
 * (unicode.json names them). A text is cut into runs of characters from the same file, and each run is drawn
 * with that file's font; only the files a text needs are read, once per process. The WOFF files are used, not
 * the WOFF2 ones: PDFKit's font library embeds WOFF2 glyphs empty (seen with PDFKit 0.20.2).
 *
 * A character no file covers (rare ideographs outside the font) is drawn as "□", so that a name is never
 * silently shortened.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE = '@fontsource/noto-sans-sc';
const MISSING = '\u25a1';

interface Range {
  readonly from: number;
  readonly to: number;
  readonly subset: string;
}

let ranges: Range[] | undefined;
const fonts = new Map<string, Buffer>();

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/unicode.json`));
}

/** unicode.json: `{"[12]": "U+4e00-4e0f,U+4e11,…", "latin": "…"}`. */
function loadRanges(): Range[] {
  const table = JSON.parse(readFileSync(join(packageDir(), 'unicode.json'), 'utf8')) as Record<
    string,
    string
  >;
  const out: Range[] = [];
  for (const [key, list] of Object.entries(table)) {
    const subset = key.replace(/^\[|\]$/g, '');
    for (const part of list.split(',')) {
      const m = /^U\+([0-9a-f]+)(?:-([0-9a-f]+))?$/i.exec(part.trim());
      if (!m?.[1]) continue;
      const from = parseInt(m[1], 16);
      out.push({ from, to: m[2] === undefined ? from : parseInt(m[2], 16), subset });
    }
  }
  return out;
}

function subsetOf(codePoint: number): string | undefined {
  ranges ??= loadRanges();
  return ranges.find((r) => codePoint >= r.from && codePoint <= r.to)?.subset;
}

/** The font file (WOFF) of one subset, read once. */
export function subsetFont(subset: string): Buffer {
  let font = fonts.get(subset);
  if (font === undefined) {
    font = readFileSync(join(packageDir(), 'files', `noto-sans-sc-${subset}-400-normal.woff`));
    fonts.set(subset, font);
  }
  return font;
}

/** The text cut into runs, each with the subset whose font draws it. */
export function fontRuns(text: string): { subset: string; text: string }[] {
  const runs: { subset: string; text: string }[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    let subset = subsetOf(cp);
    let drawn = ch;
    if (subset === undefined) {
      drawn = cp === 0x20 ? ' ' : MISSING;
      subset = subsetOf(drawn.codePointAt(0) ?? 0) ?? 'latin';
    }
    const last = runs.at(-1);
    if (last?.subset === subset) last.text += drawn;
    else runs.push({ subset, text: drawn });
  }
  return runs;
}
