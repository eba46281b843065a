import { svgElement } from './svgElement.js';

/** One bar: who reads which shard, and how far behind the latest record it is. */
export interface LagRow {
  readonly reader: string;
  readonly shardId: string;
  readonly millisBehindLatest: number;
}

/** Draws one horizontal bar per reader and shard (`data-reader`, `data-shard`, `data-lag`). */
export function drawLagChart(svg: SVGSVGElement, rows: readonly LagRow[]): void {
  svg.replaceChildren();
  const width = Number(svg.getAttribute('width'));
  const left = 250;
  const right = 80;
  const max = Math.max(1_000, ...rows.map((row) => row.millisBehindLatest));
  svg.setAttribute('height', String(Math.max(40, rows.length * 24 + 8)));
  if (rows.length === 0) svgElement(svg, 'text', { x: 8, y: 20 }, 'no fetch yet');
  rows.forEach((row, i) => {
    const y = 4 + i * 24;
    const w = ((width - left - right) * row.millisBehindLatest) / max;
    svgElement(
      svg,
      'text',
      { x: left - 8, y: y + 13, 'text-anchor': 'end' },
      `${row.reader} · ${row.shardId}`,
    );
    svgElement(svg, 'rect', {
      x: left,
      y,
      width: width - left - right,
      height: 18,
      fill: '#eef1f5',
    });
    svgElement(svg, 'rect', {
      class: 'lag',
      x: left,
      y,
      width: Math.max(1, w),
      height: 18,
      fill: row.millisBehindLatest > 2_000 ? '#e15759' : '#59a14f',
      'data-reader': row.reader,
      'data-shard': row.shardId,
      'data-lag': row.millisBehindLatest,
    });
    svgElement(
      svg,
      'text',
      { x: left + Math.max(1, w) + 6, y: y + 13 },
      `${row.millisBehindLatest} ms`,
    );
  });
}
