import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSUMER_PROPERTIES_FAMILY } from '../../src/flink/families/consumerPropertiesFamily.js';
import { KPL_PRODUCER_FAMILY } from '../../src/flink/families/kplProducerFamily.js';
import { SQL_OPTIONS_FAMILY } from '../../src/flink/families/sqlOptionsFamily.js';
import type { OptionFamily } from '../../src/flink/OptionRow.js';
import { optionRowsMarkdown } from '../../src/flink/optionRowsMarkdown.js';

const DOC = new URL('../../docs/flink-options.md', import.meta.url);
const TABLES: ReadonlyArray<[string, OptionFamily<unknown>]> = [
  ['sql-options', SQL_OPTIONS_FAMILY as OptionFamily<unknown>],
  ['consumer-properties', CONSUMER_PROPERTIES_FAMILY as OptionFamily<unknown>],
  ['kpl-properties', KPL_PRODUCER_FAMILY as OptionFamily<unknown>],
];

/** A Markdown table row's cells, so column padding (prettier's) does not count. */
const cells = (table: string): string[][] =>
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

const section = (doc: string, name: string): string | undefined =>
  new RegExp(`<!-- table:${name} -->\\n([\\s\\S]*?)\\n<!-- /table:${name} -->`).exec(doc)?.[1];

describe('docs/flink-options.md: the SQL option and property tables are the rows', () => {
  // UPDATE_FLINK_DOCS=1 writes the generated tables into the doc (then run prettier on it).
  if (process.env.UPDATE_FLINK_DOCS === '1') {
    let doc = readFileSync(DOC, 'utf8');
    for (const [name, family] of TABLES) {
      const generated = optionRowsMarkdown(family);
      doc =
        section(doc, name) === undefined
          ? `${doc}\n<!-- table:${name} -->\n${generated}\n<!-- /table:${name} -->\n`
          : doc.replace(section(doc, name) ?? '', generated);
    }
    writeFileSync(DOC, doc);
  }
  const doc = readFileSync(DOC, 'utf8');
  it.each(TABLES)('%s: one table row per option row, as generated', (name, family) => {
    const shown = section(doc, name);
    expect(shown, `no <!-- table:${name} --> section`).toBeDefined();
    expect(cells(shown ?? '')).toEqual(cells(optionRowsMarkdown(family)));
  });
});
