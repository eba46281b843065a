import type { SinkConfig } from '../sink/SinkConfig.js';
import type { SinkInput } from '../sink/SinkInput.js';
import type { SourceConfig } from '../source/SourceConfig.js';
import type { ClientConfig } from './ClientConfig.js';
import type { FlinkOptionWarning } from '../flink/OptionRow.js';
import { sqlOptionsFamily } from '../flink/families/sqlOptionsFamily.js';
import { translateOptions } from '../flink/translateOptions.js';

export type { FlinkOptionWarning } from '../flink/OptionRow.js';

/**
 * A decoded Flink option map: the table's stream, format, client, and the
 * `fromKinesis` / `toKinesis` configs its keys write (each key lands on the
 * config field it means, e.g. `sink.batch.max-size` on `sink.batch.maxSize`).
 */
export interface FlinkTableOptions {
  readonly stream: string;
  readonly format: { readonly name: string; readonly options: Readonly<Record<string, string>> };
  readonly client: ClientConfig;
  readonly source: SourceConfig;
  readonly sink: SinkConfig<SinkInput>;
  readonly warnings: readonly FlinkOptionWarning[];
}

/** Settings of `fromFlinkOptions`. */
export interface FromFlinkOptionsSettings {
  /** The table's `PARTITIONED BY` fields (the table layer passes them). */
  readonly partitionedBy?: readonly string[];
  /** Called once per warning (deprecated or ignored keys); they are also in the result. */
  readonly onWarning?: (warning: FlinkOptionWarning) => void;
  /**
   * Require `connector` and `format` (default `true`, as a Flink table). The
   * DataStream-style helpers set it to `false`.
   */
  readonly table?: boolean;
}

const CLIENT_KEYS = [
  'region',
  'endpoint',
  'credentials',
  'trustAllCertificates',
  'httpProtocol',
] as const;

/**
 * Reads a Flink Kinesis SQL connector option map (`'connector' = 'kinesis'`,
 * `stream`, `format`, `aws.*`, `scan.*`, `sink.*`) by the SQL key family's
 * table (`SQL_OPTION_ROWS`): every option of Flink's table is accepted with
 * Flink's default, or refused with one `ConfigError` that says why (an
 * unknown key with a did-you-mean, a wrong type, a value out of range), and
 * the source and sink configs' own codecs check the result. Deprecated
 * `sink.producer.*` keys are read as their successors, and keys that mean
 * nothing here are accepted, with a warning (in the result and through
 * `onWarning`, never on the console).
 *
 * ## Example
 * ```ts
 * import { fromFlinkOptions } from 'rx-kinesis';
 * const table = fromFlinkOptions({
 *   connector: 'kinesis', stream: 'user_behavior', 'aws.region': 'us-east-2',
 *   'scan.stream.initpos': 'LATEST', format: 'csv',
 * });
 * table.source.initialPosition; // 'LATEST'
 * ```
 */
export function fromFlinkOptions(
  options: Readonly<Record<string, string>>,
  settings: FromFlinkOptionsSettings = {},
): FlinkTableOptions {
  const { config, warnings } = translateOptions(
    sqlOptionsFamily({
      ...(settings.table !== undefined ? { table: settings.table } : {}),
      ...(settings.partitionedBy !== undefined ? { partitionedBy: settings.partitionedBy } : {}),
    }),
    options,
    settings.onWarning === undefined ? {} : { onWarning: settings.onWarning },
  );
  const client: Record<string, unknown> = {};
  for (const key of CLIENT_KEYS)
    if (config.source[key] !== undefined) client[key] = config.source[key];
  return {
    stream: config.stream,
    format: { name: config.format ?? 'raw', options: { ...config.formatOptions } },
    client: client as ClientConfig,
    source: config.source,
    sink: config.sink,
    warnings,
  };
}
