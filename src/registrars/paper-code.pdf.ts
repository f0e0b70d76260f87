/**
 * The paper code (Q9, docs/registrars.md): one A6 page with the QR drawn as vectors (sharp at any printer's
 * resolution), the colour in words and as a band, the masked name, the validity in Beijing time, and who issued
 * it — in Chinese and English. PDFKit writes the PDF; cjk-font.ts supplies the glyphs.
 */
import PDFDocument from 'pdfkit';
import type { Colour } from '../codec/token.ts';
import { qrModules } from '../code/qr.ts';
import { shanghaiMinute } from '../time/shanghai.ts';
import { fontRuns, subsetFont } from './cjk-font.ts';

export interface PaperCodeSheet {
  readonly token: string;
  readonly colour: Colour;
  readonly maskedName: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** The registrar's name and the region they serve. */
  readonly registrar: string;
  readonly region: string;
  /** The issuer the code names (the hub or a province's node). */
  readonly issuer: string;
}

const COLOUR_WORDS: Record<Colour, { zh: string; en: string; rgb: string }> = {
  green: { zh: '绿码', en: 'Green', rgb: '#1a9e4b' },
  yellow: { zh: '黄码', en: 'Yellow', rgb: '#e0a800' },
  red: { zh: '红码', en: 'Red', rgb: '#d32f2f' },
};

const MARGIN = 22;
const MIN_SIZE = 6;

/**
 * Draws one line of text (any script) at (MARGIN, y), runs of one font each, shrunk to fit the width when it
 * would not; returns the y of the next line.
 */
function line(doc: PDFKit.PDFDocument, text: string, size: number, y: number): number {
  const runs = fontRuns(text).map((run) => {
    const name = `noto-${run.subset}`;
    doc.registerFont(name, subsetFont(run.subset));
    return { ...run, name };
  });
  const available = doc.page.width - 2 * MARGIN;
  const width = runs.reduce((w, r) => w + doc.font(r.name).fontSize(size).widthOfString(r.text), 0);
  const fitted = width > available ? Math.max(MIN_SIZE, (size * available) / width) : size;
  let x = MARGIN;
  for (const r of runs) {
    doc.font(r.name).fontSize(fitted).text(r.text, x, y, { lineBreak: false });
    x += doc.widthOfString(r.text);
  }
  return y + fitted * 1.45;
}

export async function paperCodePdf(sheet: PaperCodeSheet, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A6',
    margin: MARGIN,
    info: { Title: 'Yimatong paper code', Creator: 'Yimatong', CreationDate: now },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const width = doc.page.width;
  const colour = COLOUR_WORDS[sheet.colour];

  let y = line(doc, '一码通 纸质健康码 · Yimatong paper health code', 11, MARGIN);
  doc.rect(MARGIN, y, width - 2 * MARGIN, 10).fill(colour.rgb);
  doc.fillColor('#000000');
  y += 12;

  // The QR, with a quiet zone of four modules on each side (white page), as wide as the page allows.
  const qr = await qrModules(sheet.token);
  const cell = Math.min(width - 2 * MARGIN, 200) / (qr.size + 8);
  const left = (width - cell * (qr.size + 8)) / 2 + 4 * cell;
  const top = y + 4 * cell;
  for (let r = 0; r < qr.size; r++)
    for (let c = 0; c < qr.size; c++)
      if (qr.dark(r, c)) doc.rect(left + c * cell, top + r * cell, cell, cell);
  doc.fill('#000000');
  y = top + (qr.size + 4) * cell;

  y = line(doc, `${colour.zh} ${colour.en}`, 16, y);
  y = line(doc, `姓名 Name: ${sheet.maskedName}`, 11, y);
  y = line(doc, `有效期 Valid from ${shanghaiMinute(sheet.issuedAt)}`, 9, y);
  y = line(doc, `至 until ${shanghaiMinute(sheet.expiresAt)} (北京时间 Beijing time)`, 9, y);
  y = line(doc, `登记员 Registrar: ${sheet.registrar}`, 9, y);
  y = line(doc, `地区 Region: ${sheet.region} · 签发 Issuer: ${sheet.issuer}`, 9, y);
  line(doc, '请妥善保管，核验时出示本页 · Keep this page; show it at checkpoints', 8, y + 8);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
