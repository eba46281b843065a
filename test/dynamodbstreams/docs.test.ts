import { describe, expect, it } from 'vitest';
import { DYNAMODB_STREAMS_OPTIONS_FAMILY } from '../../src/flink/families/dynamoDBStreamsOptionsFamily.js';
import type { OptionFamily } from '../../src/flink/OptionRow.js';
import { DYNAMODB_STREAMS_OPTION_GROUPS } from '../../src/index.js';
import {
  type OptionTable,
  cells,
  checkGeneratedTables,
  section,
} from '../support/generatedOptionTables.js';

/** One table per Flink generation: the family with that generation's rows. */
const TABLES: readonly OptionTable[] = Object.entries(DYNAMODB_STREAMS_OPTION_GROUPS).map(
  ([generation, rows]) => [
    `dynamodb-streams-${generation}`,
    { ...(DYNAMODB_STREAMS_OPTIONS_FAMILY as OptionFamily<unknown>), rows },
  ],
);

// UPDATE_FLINK_DOCS=1 writes the generated tables into the doc (then run prettier on it).
describe('docs/dynamodb-streams.md: the Flink option tables are the rows', () => {
  const doc = checkGeneratedTables(
    new URL('../../docs/dynamodb-streams.md', import.meta.url),
    TABLES,
  );

  it("the generations' tables together are the family's rows, each key once", () => {
    const shown = TABLES.flatMap(([name]) => cells(section(doc, name) ?? '').slice(1));
    const keys = shown.map(([key]) => key?.replace(/`/g, ''));
    expect(keys).toEqual(DYNAMODB_STREAMS_OPTIONS_FAMILY.rows.map((row) => row.key));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
