import { grey, type PdfPage } from './pdf-page';

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

const PAD = 2;
const SIZE = 7.5;

function rowHeight(page: PdfPage, columns: TableColumn[], cells: string[], bold: boolean): number {
  const heights = columns.map((c, i) => page.measure(cells[i] ?? '', c.width - 2 * PAD, { size: SIZE, font: bold ? 'bold' : 'regular' }));
  return Math.max(...heights) + 2 * PAD;
}

function drawRow(page: PdfPage, columns: TableColumn[], cells: string[], y: number, height: number, opts: { bold: boolean; shade: boolean }): void {
  const doc = page.doc;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  if (opts.shade) doc.rect(page.left, y, width, height).fill(grey(0.93));
  let x = page.left;
  columns.forEach((c, i) => {
    page.at(cells[i] ?? '', x + PAD, y + PAD, { size: SIZE, font: opts.bold ? 'bold' : 'regular' }, { width: c.width - 2 * PAD, align: c.align ?? 'left' });
    x += c.width;
  });
  doc
    .moveTo(page.left, y + height)
    .lineTo(page.left + width, y + height)
    .lineWidth(opts.bold ? 0.8 : 0.3)
    .strokeColor(grey(opts.bold ? 0 : 0.6))
    .stroke();
}

/**
 * A table flowing over pages: a row never splits, and the header is repeated on each new page. The
 * header and the first row are kept together.
 */
export function drawTable(page: PdfPage, columns: TableColumn[], rows: string[][]): void {
  const headerHeight = rowHeight(page, columns, columns.map((c) => c.header), true);
  const header = () => {
    drawRow(page, columns, columns.map((c) => c.header), page.y, headerHeight, { bold: true, shade: false });
    page.y += headerHeight;
  };
  page.ensure(headerHeight + (rows.length ? rowHeight(page, columns, rows[0], false) : 0));
  header();
  rows.forEach((cells, i) => {
    const height = rowHeight(page, columns, cells, false);
    if (page.y + height > page.bottom) {
      page.newPage();
      header();
    }
    drawRow(page, columns, cells, page.y, height, { bold: false, shade: i % 2 === 1 });
    page.y += height;
  });
  page.y += 4;
}
