/** The text messages a hub without an SMS gateway appends to DATA_DIR/sms-outbox.ndjson (src/sms/sms-gateway.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SentSms {
  readonly at: string;
  readonly phone: string;
  readonly text: string;
}

export function sentSms(dataDir: string): SentSms[] {
  const file = join(dataDir, 'sms-outbox.ndjson');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SentSms);
}

/** The six digits of the last confirmation code sent to `phone`. */
export function lastCode(dataDir: string, phone: string): string {
  const text = sentSms(dataDir)
    .filter((m) => m.phone === phone)
    .at(-1)?.text;
  const code = text === undefined ? undefined : /(\d{6})/.exec(text)?.[1];
  if (code === undefined) throw new Error(`no confirmation code was sent to ${phone}`);
  return code;
}
