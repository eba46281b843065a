import { describe } from 'vitest';
import { CONSUMER_PROPERTIES_FAMILY } from '../../src/flink/families/consumerPropertiesFamily.js';
import { KPL_PRODUCER_FAMILY } from '../../src/flink/families/kplProducerFamily.js';
import { SQL_OPTIONS_FAMILY } from '../../src/flink/families/sqlOptionsFamily.js';
import type { OptionFamily } from '../../src/flink/OptionRow.js';
import { type OptionTable, checkGeneratedTables } from '../support/generatedOptionTables.js';

const TABLES: readonly OptionTable[] = [
  ['sql-options', SQL_OPTIONS_FAMILY as OptionFamily<unknown>],
  ['consumer-properties', CONSUMER_PROPERTIES_FAMILY as OptionFamily<unknown>],
  ['kpl-properties', KPL_PRODUCER_FAMILY as OptionFamily<unknown>],
];

// UPDATE_FLINK_DOCS=1 writes the generated tables into the doc (then run prettier on it).
describe('docs/flink-options.md: the SQL option and property tables are the rows', () => {
  checkGeneratedTables(new URL('../../docs/flink-options.md', import.meta.url), TABLES);
});
