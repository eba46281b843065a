import type { OptionFamily, OptionRow } from './OptionRow.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => (text === '' ? '`""`' : `\`${cell(text)}\``);

/** What a row does here, in words: its target path(s), or why it is ignored, or whose name it is. */
function mapsTo(root: string, row: OptionRow): string {
  if (row.aliasOf !== undefined) return `read as ${code(row.aliasOf)} (with a warning)`;
  if (row.ignored !== undefined) return `accepted, warned: ${cell(row.ignored)}`;
  if (row.target === undefined) return '(read with the keys it goes with; see notes)';
  const targets = typeof row.target === 'string' ? [row.target] : row.target;
  return targets.map((target) => `${root} ${code(target)}`).join(', ');
}

/**
 * A family's rows as a Markdown table (key, default, type, maps to, notes):
 * what docs/flink-options.md shows, generated from the same rows the
 * translation reads, so the two cannot drift.
 */
export function optionRowsMarkdown(family: OptionFamily<unknown>): string {
  const lines = [
    '| key | default | type | maps to | notes |',
    '| --- | --- | --- | --- | --- |',
    ...family.rows.map((row) => {
      const key = row.prefix === true ? `${row.key}.<name>` : row.key;
      const type = `${row.codec.name}${row.required === true ? ', required' : ''}`;
      const fallback = row.default === undefined ? '—' : code(row.default);
      return `| ${code(key)} | ${fallback} | ${cell(type)} | ${mapsTo(family.root, row)} | ${cell(row.note ?? '')} |`;
    }),
  ];
  return lines.join('\n');
}
