/**
 * Text messages to holders (the code that confirms a sign-in at a province's node). Behind a narrow interface, as
 * the identity provider is: `SMS_GATEWAY_URL` sends each message as a JSON POST `{phone, text}` to an operator's
 * gateway; without it, messages are appended to `DATA_DIR/sms-outbox.ndjson` (owner-only) for a demo or a test to
 * read — never in production, where a sign-in that needs one is refused instead (docs/operations.md#text-messages).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.ts';
import { AppError } from '../errors/app-error.ts';

export interface SmsGateway {
  send(phone: string, text: string, now: Date): Promise<void>;
}

/** Development and tests: one JSON line per message in a file of the data folder. */
export class FileSmsOutbox implements SmsGateway {
  constructor(readonly file: string) {}

  send(phone: string, text: string, now: Date): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${JSON.stringify({ at: now.toISOString(), phone, text })}\n`, { mode: 0o600 });
    return Promise.resolve();
  }
}

/** An operator's gateway: POST {phone, text}; anything but a 2xx within the timeout is YMT_ERR_SMS_UNAVAILABLE. */
export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async send(phone: string, text: string): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone, text }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new AppError('YMT_ERR_SMS_UNAVAILABLE');
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new AppError('YMT_ERR_SMS_UNAVAILABLE');
  }
}

/** Production without a gateway: nothing is sent, and what needed a message is refused. */
export class NoSmsGateway implements SmsGateway {
  send(): Promise<void> {
    return Promise.reject(new AppError('YMT_ERR_SMS_UNAVAILABLE'));
  }
}

/** Where text messages go: the operator's gateway; else, outside production, a file of the data folder. */
export function smsGatewayFor(config: Config): SmsGateway {
  if (config.smsGatewayUrl !== undefined)
    return new HttpSmsGateway(config.smsGatewayUrl, config.peerTimeoutMs);
  return config.production
    ? new NoSmsGateway()
    : new FileSmsOutbox(join(config.dataDir, 'sms-outbox.ndjson'));
}
