// Barrel of src/table (re-exported from src/config/index.ts): re-exports only.
export { defineTable } from './defineTable.js';
export type {
  AvroFormatFactory,
  DefineTableSettings,
  KinesisTable,
  TableRow,
  TableSink,
} from './defineTable.js';
export { METADATA_KEYS, TableColumn, TableDefinition } from './TableDefinition.js';
export type { MetadataKey, TableDefinitionInput } from './TableDefinition.js';
export type { RowOf, ValueOfSqlType, WriteRowOf } from './RowOf.js';
export { parseSqlType, sqlTypeCodec } from './SqlType.js';
export type { SqlType, ValueEncoding } from './SqlType.js';
export { partitionKeyOf } from './partitionKeyOf.js';
