import type PDFDocument from 'pdfkit';
import { pdfSafe } from './pdf-text';

export type Doc = InstanceType<typeof PDFDocument>;

export const PAGE = {
  size: 'A4' as const,
  margin: { top: 40, left: 40, right: 40, bottom: 56 },
};

export const FONTS = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;

export interface TextStyle {
  font?: keyof typeof FONTS;
  size?: number;
  grey?: number;
}

/** `0.4` → `#666666`: greys only, so the report prints the same in black and white. */
export function grey(level: number): string {
  const v = Math.round(Math.min(1, Math.max(0, level)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `#${v}${v}${v}`;
}

/**
 * The flowing part of the report: text that is always WinAnsi-safe, and room checks that start a new
 * page before a block that would not fit, so a block (a chart, an alert, a table row) is never split.
 */
export class PdfPage {
  constructor(readonly doc: Doc) {}

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  style({ font = 'regular', size = 9, grey: level = 0 }: TextStyle = {}): this {
    this.doc.font(FONTS[font]).fontSize(size).fillColor(grey(level));
    return this;
  }

  /** Height of a text block at `width` in the given style. */
  measure(text: string, width: number, style: TextStyle = {}): number {
    this.style(style);
    return this.doc.heightOfString(pdfSafe(text), { width });
  }

  textWidth(text: string, style: TextStyle = {}): number {
    this.style(style);
    return this.doc.widthOfString(pdfSafe(text));
  }

  /** A wrapped paragraph at the left margin (or `x`), moving down past it. */
  paragraph(text: string, style: TextStyle = {}, opts: { x?: number; width?: number; gap?: number } = {}): void {
    const x = opts.x ?? this.left;
    const width = opts.width ?? this.width - (x - this.left);
    this.style(style);
    this.doc.text(pdfSafe(text), x, this.y, { width });
    this.y += opts.gap ?? 2;
  }

  /** Text at a fixed place, not moving the flow. */
  at(text: string, x: number, y: number, style: TextStyle = {}, opts: { width?: number; align?: 'left' | 'right' | 'center' } = {}): void {
    const keep = this.doc.y;
    this.style(style);
    this.doc.text(pdfSafe(text), x, y, { lineBreak: opts.width !== undefined, width: opts.width, align: opts.align });
    this.doc.y = keep;
  }

  /** Starts a new page unless `height` still fits below the current position. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.doc.page.margins.top;
  }

  space(points: number): void {
    this.y += points;
  }
}
