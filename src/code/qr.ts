/**
 * Server-side QR rendering at error-correction level M. Tokens are base45 text, which QR's alphanumeric
 * mode stores at 5.5 bits a character: a 211-character token fits version 8 (ARCHITECTURE.md).
 * Rendering is the slow part of showing a code (PITFALLS.md: PNG ≈ 9 ms, SVG ≈ 2 ms), so results are cached
 * per token.
 */
// Loaded when first drawn: a hub whose clients draw their own QR never loads the library (less memory per process).
const qrcode = async () => (await import('qrcode')).default;

const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4 };
const CACHE_SIZE = 2000;

class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.size) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}

const svgCache = new LruCache<string>(CACHE_SIZE);
const pngCache = new LruCache<Buffer>(CACHE_SIZE);

export async function qrVersion(text: string): Promise<number> {
  return (await qrcode()).create(text, OPTIONS).version;
}

/** The QR's dark modules, row by row (`size` × `size`, no quiet zone), for drawing it as vectors (a PDF). */
export async function qrModules(
  text: string,
): Promise<{ size: number; dark: (row: number, col: number) => boolean }> {
  const { modules } = (await qrcode()).create(text, OPTIONS);
  return { size: modules.size, dark: (row, col) => Boolean(modules.get(row, col)) };
}

export async function renderSvg(text: string): Promise<string> {
  const cached = svgCache.get(text);
  if (cached !== undefined) return cached;
  const svg = await (await qrcode()).toString(text, { ...OPTIONS, type: 'svg' });
  svgCache.set(text, svg);
  return svg;
}

export async function renderPng(text: string, scale = 6): Promise<Buffer> {
  const key = `${scale}:${text}`;
  const cached = pngCache.get(key);
  if (cached !== undefined) return cached;
  const png = await (await qrcode()).toBuffer(text, { ...OPTIONS, type: 'png', scale });
  pngCache.set(key, png);
  return png;
}
