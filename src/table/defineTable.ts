import * as t from 'io-ts';
import {
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
  asyncScheduler,
  map,
} from 'rxjs';
import { ConfigError } from '../client/errors.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { suggestionFor } from '../config/didYouMean.js';
import {
  type FlinkOptionWarning,
  type FromFlinkOptionsSettings,
  fromFlinkOptions,
} from '../config/fromFlinkOptions.js';
import type { CodecColumn } from '../format/columnsOfCodec.js';
import { csvFormat } from '../format/csvFormat.js';
import { decodeRecords } from '../format/decodeRecords.js';
import { jsonFormat } from '../format/jsonFormat.js';
import { rawFormat } from '../format/rawFormat.js';
import type { DeadLetter } from '../format/RecordDecodeError.js';
import type { RecordFormat } from '../format/RecordFormat.js';
import type { KinesisRecord } from '../record.js';
import type { SinkConfig } from '../sink/SinkConfig.js';
import type { SinkInput } from '../sink/SinkInput.js';
import { mapSinkInput } from '../sink/mapSinkInput.js';
import { type KinesisSink, toKinesis } from '../sink/toKinesis.js';
import { fromKinesis } from '../source/fromKinesis.js';
import type { SourceConfig } from '../source/SourceConfig.js';
import { partitionKeyOf } from './partitionKeyOf.js';
import {
  type SqlType,
  type ValueEncoding,
  avroTypeOf,
  csvKindOf,
  parseSqlType,
  sqlTypeCodec,
} from './SqlType.js';
import type { RowOf, WriteRowOf } from './RowOf.js';
import { type MetadataKey, TableDefinition, type TableDefinitionInput } from './TableDefinition.js';

/** A row of a table: column name → value (`Date` for timestamps and dates, `Uint8Array` for bytes). */
export type TableRow = Record<string, string | number | boolean | Date | Uint8Array | null>;

/** Makes the Avro format from a derived schema: pass `avroFormat` from `rx-kinesis/avro`. */
export type AvroFormatFactory = (schema: never) => RecordFormat;

/** Settings of `defineTable` besides the definition. */
export interface DefineTableSettings extends Pick<FromFlinkOptionsSettings, 'onWarning'> {
  /** `avroFormat` from `rx-kinesis/avro`, needed for `'format' = 'avro'` (avsc is Node-only). */
  readonly avro?: AvroFormatFactory;
}

/**
 * The sink of a table: a `KinesisSink` of rows (`done`, `summary`, `paused$`, `abort`). Like
 * `toKinesis`'s sink it is a `Subscriber`: when it fails, is aborted or has finished, the
 * source it is subscribed to is unsubscribed.
 */
export type TableSink<Row> = KinesisSink<Row>;

/** A Kinesis-backed table: typed rows in and out of a stream. */
export interface KinesisTable<Row extends TableRow = TableRow, WriteRow extends TableRow = Row> {
  readonly name: string;
  readonly stream: string;
  readonly format: RecordFormat;
  /** The physical columns' codec (what the format reads and writes). */
  readonly physicalCodec: t.Type<TableRow, unknown, unknown>;
  readonly sourceConfig: SourceConfig;
  readonly sinkConfig: SinkConfig<SinkInput>;
  readonly warnings: readonly FlinkOptionWarning[];
  /** Records → rows (physical columns decoded, metadata columns added). */
  decodeRecords(options?: {
    deadLetter?: { next(letter: DeadLetter): void };
  }): OperatorFunction<KinesisRecord, Row>;
  /** Rows → sink input (data in the format, partition key from PARTITIONED BY). */
  encodeRows(): OperatorFunction<WriteRow, SinkInput>;
  /** One row as sink input. */
  toSinkInput(row: WriteRow): SinkInput;
  /** Reads the table: `fromKinesis` with the table's source config (plus `overrides`), decoded. */
  source(
    options?: {
      overrides?: Partial<SourceConfig>;
      deadLetter?: { next(letter: DeadLetter): void };
    },
    scheduler?: SchedulerLike,
  ): Observable<Row>;
  /** Writes rows to the table: `toKinesis` with the table's sink config (plus `overrides`). */
  sink(
    options?: { overrides?: Partial<SinkConfig<SinkInput>> },
    scheduler?: SchedulerLike,
  ): TableSink<WriteRow>;
}

interface ParsedColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly metadata: MetadataKey | undefined;
}

const METADATA_TYPES: Record<MetadataKey, { kinds: readonly SqlType['kind'][]; expected: string }> =
  {
    timestamp: {
      kinds: ['TIMESTAMP', 'TIMESTAMP_LTZ'],
      expected: 'TIMESTAMP_LTZ(3) (or TIMESTAMP(3)) for metadata timestamp',
    },
    'shard-id': { kinds: ['STRING'], expected: 'VARCHAR(128) (or STRING) for metadata shard-id' },
    'sequence-number': {
      kinds: ['STRING'],
      expected: 'VARCHAR(128) (or STRING) for metadata sequence-number',
    },
  };

function metadataValue(key: MetadataKey, record: KinesisRecord): string | Date {
  switch (key) {
    case 'timestamp':
      return record.approximateArrivalTimestamp;
    case 'shard-id':
      return record.shardId;
    case 'sequence-number':
      return record.sequenceNumber;
  }
}

/** The codec of the physical columns in a format's encoding; it describes its columns for csv. */
function rowCodecOf(
  columns: readonly ParsedColumn[],
  encoding: ValueEncoding,
  failOnMissing: boolean,
): t.Type<TableRow, unknown, unknown> {
  const props: t.Props = {};
  for (const column of columns) {
    const codec = sqlTypeCodec(column.type, encoding);
    props[column.name] =
      failOnMissing && column.type.nullable
        ? new t.Type(
            codec.name,
            codec.is,
            (u, c) =>
              u === undefined
                ? t.failure(u, c, `${codec.name} (json.fail-on-missing-field)`)
                : codec.validate(u, c),
            codec.encode,
          )
        : codec;
  }
  const described: CodecColumn[] = columns.map((column) => ({
    name: column.name,
    kind: csvKindOf(column.type),
    nullable: column.type.nullable,
    optional: false,
  }));
  return Object.assign(t.type(props), { columns: described }) as unknown as t.Type<
    TableRow,
    unknown,
    unknown
  >;
}

/**
 * Defines a Kinesis-backed table like Flink's
 * `CREATE TABLE ... PARTITIONED BY (...) WITH (...)`: columns with Flink SQL
 * types, metadata columns (`timestamp`, `shard-id`, `sequence-number`,
 * read-only), PARTITIONED BY fields that make the sink's partition key
 * (joined with `sink.partitioner-field-delimiter`), and the connector
 * options (see `fromFlinkOptions`). Everything is checked at once: one
 * `ConfigError` for a bad definition, before any request.
 *
 * ## Example
 * ```ts
 * import { defineTable } from 'rx-kinesis';
 * const table = defineTable({
 *   columns: [
 *     { name: 'user_id', type: 'BIGINT' }, { name: 'item_id', type: 'BIGINT' },
 *     { name: 'behavior', type: 'STRING' }, { name: 'ts', type: 'TIMESTAMP(3)' },
 *     { name: 'arrival_time', type: 'TIMESTAMP(3)', metadata: 'timestamp', virtual: true },
 *   ],
 *   partitionedBy: ['user_id', 'item_id'],
 *   options: { connector: 'kinesis', stream: 'user_behavior', 'aws.region': 'us-east-2',
 *     'scan.stream.initpos': 'LATEST', format: 'csv' },
 * });
 * table.source().subscribe((row) => console.log(row.user_id, row.arrival_time));
 * ```
 */
export function defineTable<const D extends TableDefinitionInput>(
  definition: D,
  settings: DefineTableSettings = {},
): KinesisTable<RowOf<D>, WriteRowOf<D>> {
  type Row = RowOf<D>;
  type WriteRow = WriteRowOf<D>;
  const def = decodeConfig(TableDefinition, definition, 'table');
  const problems: Array<{ path: string; value: unknown; expected: string }> = [];
  const columns: ParsedColumn[] = [];
  const seen = new Set<string>();
  def.columns.forEach((column, index) => {
    const type = parseSqlType(column.type);
    if (typeof type === 'string') {
      problems.push({ path: `table.columns.${index}.type`, value: column.type, expected: type });
      return;
    }
    if (seen.has(column.name))
      problems.push({
        path: `table.columns.${index}.name`,
        value: column.name,
        expected: 'a column name not used before',
      });
    seen.add(column.name);
    if (column.metadata !== undefined) {
      if (column.virtual === false)
        problems.push({
          path: `table.columns.${index}.virtual`,
          value: false,
          expected: 'true: Kinesis metadata is read-only (declare it VIRTUAL)',
        });
      const allowed = METADATA_TYPES[column.metadata];
      if (!allowed.kinds.includes(type.kind))
        problems.push({
          path: `table.columns.${index}.type`,
          value: column.type,
          expected: allowed.expected,
        });
    } else if (column.virtual !== undefined) {
      problems.push({
        path: `table.columns.${index}.virtual`,
        value: column.virtual,
        expected: 'no virtual flag on a physical column (only metadata columns are virtual)',
      });
    }
    columns.push({ name: column.name, type, metadata: column.metadata });
  });
  const physical = columns.filter((c) => c.metadata === undefined);
  const metadata = columns.filter((c) => c.metadata !== undefined);
  const partitionedBy = def.partitionedBy ?? [];
  partitionedBy.forEach((field, index) => {
    const column = columns.find((c) => c.name === field);
    if (column === undefined)
      problems.push({
        path: `table.partitionedBy.${index}`,
        value: field,
        expected: `a physical column${suggestionFor(
          field,
          physical.map((c) => c.name),
        )}`,
      });
    else if (column.metadata !== undefined)
      problems.push({
        path: `table.partitionedBy.${index}`,
        value: field,
        expected: 'a physical column (not a metadata column)',
      });
  });
  if (physical.length === 0)
    problems.push({
      path: 'table.columns',
      value: def.columns.map((c) => c.name),
      expected: 'at least one physical column',
    });
  if (problems.length > 0) throw new ConfigError(problems);

  const options = fromFlinkOptions(def.options, {
    ...(partitionedBy.length > 0 ? { partitionedBy } : {}),
    ...(settings.onWarning !== undefined ? { onWarning: settings.onWarning } : {}),
  });
  const formatOptions = options.format.options;
  const refuse = (key: string, value: unknown, expected: string): never => {
    throw new ConfigError([{ path: key, value, expected }]);
  };
  const flag = (key: string): boolean => {
    const value = formatOptions[key];
    if (value === undefined) return false;
    const lower = value.trim().toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      refuse(`${options.format.name}.${key}`, value, 'a Boolean (true or false)');
    return lower === 'true';
  };
  let format: RecordFormat;
  let encoding: ValueEncoding = 'text-sql';
  let failOnMissing = false;
  switch (options.format.name) {
    case 'json': {
      if (flag('ignore-parse-errors'))
        refuse(
          'json.ignore-parse-errors',
          'true',
          'false: records are never dropped silently; pass a deadLetter to the table source instead',
        );
      failOnMissing = flag('fail-on-missing-field');
      const standard = formatOptions['timestamp-format.standard'] ?? 'SQL';
      if (standard !== 'SQL' && standard !== 'ISO-8601')
        refuse('json.timestamp-format.standard', standard, 'SQL or ISO-8601');
      encoding = standard === 'ISO-8601' ? 'text-iso' : 'text-sql';
      format = jsonFormat();
      break;
    }
    case 'csv': {
      if (flag('ignore-parse-errors'))
        refuse(
          'csv.ignore-parse-errors',
          'true',
          'false: records are never dropped silently; pass a deadLetter to the table source instead',
        );
      if (flag('allow-comments'))
        refuse('csv.allow-comments', 'true', 'false: a comment line would be a dropped record');
      const delimiter = formatOptions['field-delimiter'];
      const quote = formatOptions['quote-character'];
      const nullLiteral = formatOptions['null-literal'];
      format = csvFormat({
        // Flink writes a tab as the two characters \t in SQL options
        ...(delimiter !== undefined
          ? { fieldDelimiter: delimiter === '\\t' ? '\t' : delimiter }
          : {}),
        ...(quote !== undefined ? { quoteCharacter: quote } : {}),
        ...(flag('disable-quote-character') ? { disableQuoteCharacter: true } : {}),
        ...(nullLiteral !== undefined ? { nullLiteral } : {}),
      });
      break;
    }
    case 'raw': {
      const only = physical[0];
      if (physical.length !== 1 || only === undefined)
        refuse(
          'format',
          'raw',
          `exactly one physical column for raw (got ${physical.map((c) => c.name).join(', ')})`,
        );
      if (
        formatOptions['endianness'] !== undefined &&
        !/^(big|little)-endian$/.test(formatOptions['endianness'])
      )
        refuse('raw.endianness', formatOptions['endianness'], 'big-endian or little-endian');
      const kind = only?.type.kind;
      if (kind !== 'STRING' && kind !== 'BYTES')
        refuse('format', 'raw', `a STRING or BYTES column for raw (got ${only?.type.text})`);
      format = rawFormat({
        as: kind === 'BYTES' ? 'bytes' : 'string',
        ...(formatOptions['charset'] !== undefined ? { charset: formatOptions['charset'] } : {}),
      });
      encoding = 'avro'; // bytes stay bytes
      break;
    }
    case 'avro': {
      if (settings.avro === undefined)
        return refuse(
          'format',
          'avro',
          "the avro format factory: import { avroFormat } from 'rx-kinesis/avro' and pass defineTable(definition, { avro: avroFormat })",
        );
      const given = formatOptions['schema'];
      let schema: unknown;
      if (given !== undefined) {
        try {
          schema = JSON.parse(given);
        } catch {
          refuse('avro.schema', given, 'an Avro schema as JSON');
        }
      } else {
        schema = {
          type: 'record',
          name: def.name ?? 'record',
          namespace: 'org.apache.flink.avro.generated',
          fields: physical.map((c) => ({
            name: c.name,
            type: avroTypeOf(c.type),
            ...(c.type.nullable ? { default: null } : {}),
          })),
        };
      }
      if (formatOptions['codec'] !== undefined)
        refuse(
          'avro.codec',
          formatOptions['codec'],
          'no codec: records are single Avro datums, not container files',
        );
      format = settings.avro(schema as never);
      encoding = 'avro';
      break;
    }
    default:
      return refuse('format', options.format.name, 'json, csv, raw or avro');
  }

  const physicalCodec = rowCodecOf(physical, encoding, failOnMissing);
  const rows = format.bind(physicalCodec);
  const keyCodecs = partitionedBy.map((field) => {
    const column = physical.find((c) => c.name === field) as ParsedColumn;
    return sqlTypeCodec(column.type, 'text-sql');
  });
  const sinkConfig: SinkConfig<SinkInput> = { ...options.sink };
  // the table computes the key itself (the sink's partitionBy reads fields of its input, not of rows)
  delete (sinkConfig as { partitionBy?: unknown }).partitionBy;
  delete (sinkConfig as { partitionerFieldDelimiter?: unknown }).partitionerFieldDelimiter;
  const delimiter = options.sink.partitionerFieldDelimiter ?? '|';

  const select = (row: TableRow, record: KinesisRecord): Row => {
    for (const column of metadata)
      row[column.name] = metadataValue(column.metadata as MetadataKey, record);
    return row as Row;
  };
  const toSinkInput = (typed: WriteRow): SinkInput => {
    // the typed row is a TableRow at run time: the codecs check every field
    const row = typed as TableRow;
    const data = rows.encode(row);
    if (partitionedBy.length === 0) return { data };
    const texts: Record<string, unknown> = {};
    partitionedBy.forEach((field, i) => {
      texts[field] = (keyCodecs[i] as t.Type<unknown, unknown, unknown>).encode(row[field] ?? null);
    });
    return { data, partitionKey: partitionKeyOf(texts, partitionedBy, delimiter) };
  };
  const table: KinesisTable<Row, WriteRow> = {
    name: def.name ?? options.stream,
    stream: options.stream,
    format,
    physicalCodec,
    sourceConfig: options.source,
    sinkConfig,
    warnings: options.warnings,
    decodeRecords: (decodeOptions = {}) =>
      decodeRecords(format, physicalCodec, {
        select,
        ...(decodeOptions.deadLetter !== undefined ? { deadLetter: decodeOptions.deadLetter } : {}),
      }),
    encodeRows: () => map(toSinkInput),
    toSinkInput,
    source: (sourceOptions = {}, scheduler: SchedulerLike = asyncScheduler) =>
      fromKinesis(
        { ...options.source, ...sourceOptions.overrides } as SourceConfig,
        scheduler,
      ).pipe(
        table.decodeRecords(
          sourceOptions.deadLetter !== undefined ? { deadLetter: sourceOptions.deadLetter } : {},
        ),
      ),
    sink: (sinkOptions = {}, scheduler: SchedulerLike = asyncScheduler) =>
      mapSinkInput(
        toKinesis<SinkInput>(
          { ...sinkConfig, ...sinkOptions.overrides } as SinkConfig<SinkInput>,
          scheduler,
        ),
        toSinkInput,
      ),
  };
  return table;
}
