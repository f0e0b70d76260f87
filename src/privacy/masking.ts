/**
 * Masking (脱敏) of personal data for every view that does not need it in full. Pure.
 *
 * - Names: Chinese names keep the first and last character (张*三, 张*, 欧**锋); other names keep the first
 *   letter of each word (J*** S****).
 * - ID numbers: first 3 and last 4 characters (110***********002X).
 * - Phones: first 3 and last 4 digits (138****5678).
 * - Passports: first and last 2 characters (E******78).
 * - Addresses: the first 6 characters, then ****.
 */
const HAN = /\p{Script=Han}/u;

function stars(n: number): string {
  return '*'.repeat(Math.max(n, 0));
}

export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  if (HAN.test(name)) {
    if (chars.length === 1) return '*';
    if (chars.length === 2) return `${chars[0] ?? ''}*`;
    return `${chars[0] ?? ''}${stars(chars.length - 2)}${chars[chars.length - 1] ?? ''}`;
  }
  return name
    .split(' ')
    .map((word) => {
      const w = Array.from(word);
      return w.length === 0 ? '' : `${w[0] ?? ''}${stars(w.length - 1)}`;
    })
    .join(' ');
}

function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return stars(chars.length);
  return (
    chars.slice(0, head).join('') +
    stars(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

export function maskIdNumber(number: string): string {
  return keepEnds(number, 3, 4);
}

export function maskPhone(phone: string): string {
  return keepEnds(phone, 3, 4);
}

export function maskPassport(number: string): string {
  return keepEnds(number, 1, 2);
}

/** A registration number (`registered`, docs/registrars.md) is masked as a passport number is. */
export function maskDocumentNumber(type: 'id_card' | 'passport' | 'registered', number: string): string {
  return type === 'id_card' ? maskIdNumber(number) : maskPassport(number);
}

export function maskAddress(address: string): string {
  const chars = Array.from(address);
  return chars.length <= 6 ? stars(chars.length) : `${chars.slice(0, 6).join('')}****`;
}
