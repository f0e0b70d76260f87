/** How configuration values are read: each key's parser, refusing with the reason (src/config/config.ts). */

/** A configuration key: its meaning (`.env.example` prints it) and its parser. */
export interface KeySpec {
  readonly doc: string;
  readonly parse: (raw: string | undefined) => unknown;
}

export function integer(min: number, max: number, fallback: number) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function boolean(fallback: boolean) {
  return (raw: string | undefined): boolean => {
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new Error('must be true or false');
  };
}

export function text(fallback: string | undefined, pattern?: RegExp) {
  return (raw: string | undefined): string | undefined => {
    if (raw === undefined || raw === '') return fallback;
    if (pattern && !pattern.test(raw)) throw new Error(`must match ${String(pattern)}`);
    return raw;
  };
}

export const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
export const BASE64_16_BYTES = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

export function oneOf<T extends string>(values: readonly T[], fallback: T) {
  return (raw: string | undefined): T => {
    if (raw === undefined || raw === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
    return raw as T;
  };
}
