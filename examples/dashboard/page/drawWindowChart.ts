import { BEHAVIORS } from '../shared/feed.js';
import { svgElement } from './svgElement.js';

const COLORS: Record<string, string> = {
  pv: '#4e79a7',
  cart: '#f28e2b',
  fav: '#e15759',
  buy: '#59a14f',
};
const LABELS: Record<string, string> = { pv: 'view', cart: 'cart', fav: 'favourite', buy: 'buy' };

/** window start → behavior → count. */
export type WindowCounts = ReadonlyMap<number, ReadonlyMap<string, number>>;

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/**
 * Draws the last `shown` windows as groups of bars, one bar per behavior,
 * each labelled with its count; every bar carries `data-window`,
 * `data-behavior` and `data-count`.
 */
export function drawWindowChart(svg: SVGSVGElement, counts: WindowCounts, shown = 8): void {
  svg.replaceChildren();
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const left = 36;
  const bottom = height - 40;
  const top = 12;
  const starts = [...counts.keys()].sort((a, b) => a - b).slice(-shown);
  let highest = 1;
  for (const start of starts)
    for (const n of counts.get(start)?.values() ?? []) highest = Math.max(highest, n);
  // whole-number ticks, at most five lines
  const step = Math.ceil(highest / 4);
  const max = step * Math.ceil(highest / step);
  const y = (n: number): number => bottom - ((bottom - top) * n) / max;
  for (let value = 0; value <= max; value += step) {
    svgElement(svg, 'line', {
      x1: left,
      x2: width - 8,
      y1: y(value),
      y2: y(value),
      stroke: '#e3e3e3',
    });
    svgElement(svg, 'text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(value));
  }
  const slot = (width - left - 8) / shown;
  const bar = Math.min(22, (slot - 12) / BEHAVIORS.length);
  starts.forEach((start, index) => {
    const x0 = left + index * slot + (slot - bar * BEHAVIORS.length) / 2;
    BEHAVIORS.forEach((behavior, b) => {
      const count = counts.get(start)?.get(behavior) ?? 0;
      const x = x0 + b * bar;
      svgElement(svg, 'rect', {
        class: 'bar',
        x,
        y: y(count),
        width: bar - 2,
        height: bottom - y(count),
        fill: COLORS[behavior] ?? '#999',
        'data-window': start,
        'data-behavior': behavior,
        'data-count': count,
      });
      if (count > 0)
        svgElement(
          svg,
          'text',
          { x: x + (bar - 2) / 2, y: y(count) - 3, 'text-anchor': 'middle' },
          String(count),
        );
    });
    svgElement(
      svg,
      'text',
      { x: left + index * slot + slot / 2, y: bottom + 14, 'text-anchor': 'middle' },
      clock(start),
    );
  });
  if (starts.length === 0)
    svgElement(
      svg,
      'text',
      { x: width / 2, y: height / 2, 'text-anchor': 'middle' },
      'waiting for the first closed window…',
    );
  svgElement(svg, 'line', { x1: left, x2: width - 8, y1: bottom, y2: bottom, stroke: '#888' });
  BEHAVIORS.forEach((behavior, b) => {
    const x = left + b * 110;
    svgElement(svg, 'rect', {
      x,
      y: height - 16,
      width: 12,
      height: 12,
      fill: COLORS[behavior] ?? '#999',
    });
    svgElement(svg, 'text', { x: x + 16, y: height - 6 }, LABELS[behavior] ?? behavior);
  });
}
