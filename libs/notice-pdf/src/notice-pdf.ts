import type { Notice } from '@fundsim/projections';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { noticeLayout } from './notice-rows';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/**
 * A notice as a one-page PDF (pdf-lib, standard Helvetica: no font file, no native build). Text
 * is drawn as text, so `pdftotext` reads the figures back.
 */
export async function noticePdf(notice: Notice): Promise<Uint8Array> {
  const layout = noticeLayout(notice);
  const doc = await PDFDocument.create();
  doc.setTitle(`${layout.title}: ${notice.lpId}`);
  doc.setAuthor(notice.fundName);
  doc.setSubject(notice.notice === 'capital-call' ? 'Capital call notice' : 'Distribution notice');
  doc.setProducer('fundsim');
  // Reproducible bytes: the notice's own date, not the clock.
  const date = new Date(`${notice.noticeDate}T00:00:00Z`);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const text = (s: string, x: number, font: PDFFont, size: number) => page.drawText(s, { x, y, size, font, color: rgb(0, 0, 0) });

  text(layout.title, MARGIN, bold, 16);
  y -= 26;
  for (const line of layout.heading) {
    text(line, MARGIN, regular, 10);
    y -= 15;
  }
  y -= 10;
  const right = A4[0] - MARGIN;
  const columns = layout.columns.length - 1;
  const columnRight = (i: number) => right - (columns - 1 - i) * 120;
  const drawRight = (s: string, at: number, font: PDFFont, size: number) => text(s, at - font.widthOfTextAtSize(s, size), font, size);
  layout.columns.slice(1).forEach((c, i) => drawRight(c, columnRight(i), bold, 10));
  y -= 6;
  rule(page, y, right);
  y -= 16;
  for (const row of layout.rows) {
    const font = row.strong ? bold : regular;
    text(row.label, MARGIN, font, 10);
    drawRight(row.usd, columnRight(0), font, 10);
    if (row.jpy !== undefined) drawRight(row.jpy, columnRight(1), font, 10);
    y -= 16;
  }
  rule(page, y + 8, right);
  y -= 10;
  for (const note of layout.footnotes) {
    for (const line of wrapText(note, regular, 8, right - MARGIN)) {
      text(line, MARGIN, regular, 8);
      y -= 11;
    }
  }
  return doc.save({ useObjectStreams: false });
}

function rule(page: PDFPage, y: number, right: number): void {
  page.drawLine({ start: { x: MARGIN, y }, end: { x: right, y }, thickness: 0.5, color: rgb(0.4, 0.4, 0.4) });
}

function wrapText(s: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
