import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DYNAMODB_STREAMS_OPTIONS_FAMILY } from '../../src/flink/families/dynamoDBStreamsOptionsFamily.js';
import type { OptionFamily } from '../../src/flink/OptionRow.js';
import { optionRowsMarkdown } from '../../src/flink/optionRowsMarkdown.js';
import { DYNAMODB_STREAMS_OPTION_GROUPS } from '../../src/index.js';

const DOC = new URL('../../docs/dynamodb-streams.md', import.meta.url);
/** One table per Flink generation: the family with that generation's rows. */
const TABLES: ReadonlyArray<[string, OptionFamily<unknown>]> = Object.entries(
  DYNAMODB_STREAMS_OPTION_GROUPS,
).map(([generation, rows]) => [
  `dynamodb-streams-${generation}`,
  { ...(DYNAMODB_STREAMS_OPTIONS_FAMILY as OptionFamily<unknown>), rows },
]);

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

describe('docs/dynamodb-streams.md: the Flink option tables are the rows', () => {
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

  it("the generations' tables together are the family's rows, each key once", () => {
    const shown = TABLES.flatMap(([name]) => cells(section(doc, name) ?? '').slice(1));
    const keys = shown.map(([key]) => key?.replace(/`/g, ''));
    expect(keys).toEqual(DYNAMODB_STREAMS_OPTIONS_FAMILY.rows.map((row) => row.key));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
