// Docs tables generated from Flink option rows: read a doc's marked sections,
// compare them cell by cell (prettier's padding does not count), and, with
// UPDATE_FLINK_DOCS=1, write the generated tables in (then run prettier on the doc).
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { OptionFamily } from '../../src/flink/OptionRow.js';
import { optionRowsMarkdown } from '../../src/flink/optionRowsMarkdown.js';

/** A named table section of a doc, and the family whose rows it shows. */
export type OptionTable = readonly [name: string, family: OptionFamily<unknown>];

/** A Markdown table's rows as trimmed cells (header included, separator left out). */
export const cells = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

/** The text between `<!-- table:name -->` and `<!-- /table:name -->`. */
export const section = (doc: string, name: string): string | undefined =>
  new RegExp(`<!-- table:${name} -->\\n([\\s\\S]*?)\\n<!-- /table:${name} -->`).exec(doc)?.[1];

/**
 * Registers one test per table (its section equals what the rows generate)
 * and returns the doc's text for further checks.
 */
export function checkGeneratedTables(doc: URL, tables: readonly OptionTable[]): string {
  if (process.env.UPDATE_FLINK_DOCS === '1') {
    let text = readFileSync(doc, 'utf8');
    for (const [name, family] of tables) {
      const generated = optionRowsMarkdown(family);
      text =
        section(text, name) === undefined
          ? `${text}\n<!-- table:${name} -->\n${generated}\n<!-- /table:${name} -->\n`
          : text.replace(section(text, name) ?? '', generated);
    }
    writeFileSync(doc, text);
  }
  const text = readFileSync(doc, 'utf8');
  it.each(tables)('%s: one table row per option row, as generated', (name, family) => {
    const shown = section(text, name);
    expect(shown, `no <!-- table:${name} --> section`).toBeDefined();
    expect(cells(shown ?? '')).toEqual(cells(optionRowsMarkdown(family)));
  });
  return text;
}
