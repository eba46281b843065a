import * as t from 'io-ts';
import { SinkConfigCodec } from '../../sink/SinkConfig.js';
import type { SinkConfig } from '../../sink/SinkConfig.js';
import type { SinkInput } from '../../sink/SinkInput.js';
import { SourceConfig } from '../../source/SourceConfig.js';
import type { OptionFamily, OptionRule } from '../OptionRow.js';
import { regionOrEndpointRule } from './consumerPropertyRules.js';
import {
  aggregationRule,
  backoffOrderRule,
  formatOptionsRule,
  partitionerRule,
  sqlCredentialsRule,
  sqlEfoRule,
  sqlInitialPositionRule,
  tableKeysRule,
  verifyCertificateRule,
} from './sqlOptionRules.js';
import { SQL_OPTION_ROWS } from './sqlOptionRows.js';

/** What a SQL table's options become: its stream, format, and the two configs it reads and writes with. */
export interface SqlTableConfig {
  readonly stream: string;
  readonly format?: string;
  readonly formatOptions?: Readonly<Record<string, string>>;
  readonly source: SourceConfig;
  readonly sink: SinkConfig<SinkInput>;
}

/** The configs' own codecs side by side: the one validator of a table's options. */
const SqlTableCodec = t.intersection([
  t.type({
    stream: t.string,
    source: SourceConfig,
    sink: SinkConfigCodec as unknown as t.Type<SinkConfig<SinkInput>, unknown, unknown>,
  }),
  t.partial({ format: t.string, formatOptions: t.record(t.string, t.string) }),
]);

/** How a SQL option map is read: as a table (`connector`, `format` required) and its PARTITIONED BY. */
export interface SqlOptionsSettings {
  /** Require `connector` and `format` (default `true`, as a Flink table). */
  readonly table?: boolean;
  /** The table's `PARTITIONED BY` fields. */
  readonly partitionedBy?: readonly string[];
}

/**
 * Flink's Kinesis SQL connector options (seed 000) as a key family: its rows,
 * the rules across keys, and the source and sink configs' own codecs.
 *
 * ## Example
 * ```ts
 * import { sqlOptionsFamily, translateOptions } from 'rx-kinesis';
 * const { config } = translateOptions(sqlOptionsFamily({ table: false }), {
 *   stream: 'out', 'aws.region': 'us-east-1', 'sink.batch.max-size': '100',
 * });
 * config.sink.batch?.maxSize; // 100
 * ```
 */
export function sqlOptionsFamily(settings: SqlOptionsSettings = {}): OptionFamily<SqlTableConfig> {
  const rules: OptionRule[] = [
    ...(settings.table === false ? [] : [tableKeysRule]),
    sqlCredentialsRule,
    regionOrEndpointRule,
    sqlInitialPositionRule,
    sqlEfoRule,
    backoffOrderRule,
    partitionerRule(settings.partitionedBy ?? []),
    verifyCertificateRule,
    aggregationRule,
    formatOptionsRule,
  ];
  return {
    name: 'a Kinesis connector option',
    root: 'table',
    rows: SQL_OPTION_ROWS,
    rules,
    codec: SqlTableCodec as unknown as t.Type<SqlTableConfig, unknown, unknown>,
  };
}

/** The SQL family as the docs show it (a table: `connector` and `format` required). */
export const SQL_OPTIONS_FAMILY: OptionFamily<SqlTableConfig> = sqlOptionsFamily();
