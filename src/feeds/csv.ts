/**
 * RFC 4180 CSV, one record at a time from lines: quoted fields may hold commas, doubled quotes and line breaks.
 * Pure; the reader feeds it lines and gets back complete records with the line each started on.
 */
export type CsvLineResult =
  | { readonly kind: 'record'; readonly fields: string[] }
  | { readonly kind: 'pending' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The column names of a header record: trimmed, a leading byte order mark dropped. A name given twice would make
 * every row ambiguous (which value counts?), so it is refused: the name, or undefined when all are distinct.
 */
export function csvHeader(fields: readonly string[]): { names: string[]; duplicate: string | undefined } {
  const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
  const seen = new Set<string>();
  const duplicate = names.find((n) => seen.size === seen.add(n).size);
  return { names, duplicate };
}

export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private started = false;

  /** Feeds one physical line (without its line break). */
  push(line: string): CsvLineResult {
    if (this.inQuotes) this.field += '\n';
    this.started = true;
    for (let i = 0; i < line.length; i++) {
      const c = line.charAt(i);
      if (this.inQuotes) {
        if (c === '"') {
          if (line.charAt(i + 1) === '"') {
            this.field += '"';
            i++;
          } else {
            this.inQuotes = false;
            const next = line.charAt(i + 1);
            if (next !== '' && next !== ',') return this.fail('a closing quote must end its field');
          }
        } else {
          this.field += c;
        }
      } else if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
      } else if (c === '"') {
        if (this.field !== '') return this.fail('a quote inside an unquoted field');
        this.inQuotes = true;
      } else {
        this.field += c;
      }
    }
    if (this.inQuotes) return { kind: 'pending' };
    this.fields.push(this.field);
    const fields = this.fields;
    this.reset();
    return { kind: 'record', fields };
  }

  /** True while a quoted field is still open (at the end of the input, that is an error). */
  get open(): boolean {
    return this.started && this.inQuotes;
  }

  private fail(message: string): CsvLineResult {
    this.reset();
    return { kind: 'error', message };
  }

  private reset(): void {
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.started = false;
  }
}
