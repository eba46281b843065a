import * as t from 'io-ts';
import { NonEmptyString } from '../config/NonEmptyString.js';
import { strictObject } from '../config/strictObject.js';

/** The metadata a Kinesis table can expose (read-only, VIRTUAL), as Flink's connector. */
export const METADATA_KEYS = ['timestamp', 'shard-id', 'sequence-number'] as const;
export type MetadataKey = (typeof METADATA_KEYS)[number];

const MetadataKeyCodec = new t.Type<MetadataKey, MetadataKey, unknown>(
  `one of ${METADATA_KEYS.join(', ')}`,
  (u): u is MetadataKey =>
    typeof u === 'string' && (METADATA_KEYS as readonly string[]).includes(u),
  (u, c) =>
    typeof u === 'string' && (METADATA_KEYS as readonly string[]).includes(u)
      ? t.success(u as MetadataKey)
      : t.failure(u, c),
  t.identity,
);

/**
 * One column of a table: `{ name, type }` with a Flink SQL type
 * (`BIGINT`, `VARCHAR(128) NOT NULL`, `TIMESTAMP(3)`), or a metadata column
 * `{ name, type, metadata: 'timestamp' | 'shard-id' | 'sequence-number' }`
 * (read-only: `virtual` may only be `true`, as Kinesis cannot write metadata).
 */
export const TableColumn = strictObject(
  'a column { name, type, metadata?, virtual? }',
  { name: NonEmptyString, type: NonEmptyString },
  { metadata: MetadataKeyCodec, virtual: t.boolean },
);
export type TableColumn = t.TypeOf<typeof TableColumn>;

const OptionMap = new t.Type<Record<string, string>, Record<string, string>, unknown>(
  'an option map of strings (the WITH clause)',
  (u): u is Record<string, string> => typeof u === 'object' && u !== null && !Array.isArray(u),
  (u, c) =>
    typeof u === 'object' && u !== null && !Array.isArray(u)
      ? t.success(u as Record<string, string>)
      : t.failure(u, c),
  t.identity,
);

/**
 * A table like Flink's `CREATE TABLE name (columns) PARTITIONED BY (...) WITH (options)`.
 * `columns` (SQL types) describe the row; `partitionedBy` names physical
 * columns whose values make the sink's partition key.
 */
export const TableDefinition = strictObject(
  'a table definition { columns, options, partitionedBy?, name? }',
  { columns: t.array(TableColumn), options: OptionMap },
  { name: NonEmptyString, partitionedBy: t.array(NonEmptyString) },
);
export type TableDefinition = t.TypeOf<typeof TableDefinition>;

/**
 * What `defineTable` accepts: a `TableDefinition`, readonly, so a literal
 * keeps its column names and SQL types and the row type is derived from them.
 */
export interface TableDefinitionInput {
  readonly columns: ReadonlyArray<{
    readonly name: string;
    readonly type: string;
    readonly metadata?: MetadataKey;
    readonly virtual?: boolean;
  }>;
  readonly options: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly partitionedBy?: readonly string[];
}
