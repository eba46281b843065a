import type { SinkConfig } from '../sink/SinkConfig.js';
import type { SinkInput } from '../sink/SinkInput.js';
import {
  type FlinkOptionWarning,
  type FlinkTableOptions,
  type FromFlinkOptionsSettings,
  fromFlinkOptions,
} from './fromFlinkOptions.js';

/** The `toKinesis` config of a decoded option map, with warnings for keys it cannot honour. */
export function sinkConfigOf<T extends SinkInput>(
  table: FlinkTableOptions,
  given: Readonly<Record<string, string>>,
): { config: SinkConfig<T>; warnings: FlinkOptionWarning[] } {
  const warnings: FlinkOptionWarning[] = [];
  for (const key of ['sink.http-client.max-concurrency', 'sink.http-client.read-timeout']) {
    if (key in given)
      warnings.push({
        key,
        message: `${key} is accepted but has no effect on toKinesis: the SDK client's own HTTP settings apply`,
      });
  }
  const { sink, client } = table;
  const partitioning: Partial<SinkConfig<T>> =
    sink.partitioner.type === 'fields'
      ? {
          partitionBy: sink.partitioner.fields,
          partitionerFieldDelimiter: sink.partitioner.delimiter,
        }
      : { partitioner: sink.partitioner.type };
  const config: SinkConfig<T> = {
    stream: sink.stream,
    ...client,
    ...partitioning,
    batch: { maxSize: sink.batch.maxRecords },
    flushBuffer: { size: sink.batch.maxBytes, timeoutMs: sink.batch.maxDelayMs },
    requests: { maxInflight: sink.maxInFlight, maxBuffered: sink.maxBuffered },
    failOnError: sink.failOnError,
    ...(sink.aggregation !== undefined
      ? { aggregation: Object.keys(sink.aggregation).length === 0 ? true : { ...sink.aggregation } }
      : {}),
  };
  return { config, warnings };
}

/**
 * The `toKinesis` sink config of a Flink option map (the keys of Flink's
 * Kinesis SQL connector; `connector` and `format` may be left out).
 * `partitionedBy` plays the table's PARTITIONED BY. Bad options throw one
 * `ConfigError`; deprecated keys and keys without effect come back as warnings.
 *
 * ## Example
 * ```ts
 * import { sinkConfigFromFlinkOptions, toKinesis } from 'rx-kinesis';
 * const { config } = sinkConfigFromFlinkOptions({
 *   stream: 'out', 'aws.region': 'us-east-2', 'sink.batch.max-size': '100',
 * });
 * const sink = toKinesis(config);
 * ```
 */
export function sinkConfigFromFlinkOptions<T extends SinkInput = SinkInput>(
  options: Readonly<Record<string, string>>,
  settings: FromFlinkOptionsSettings = {},
): { config: SinkConfig<T>; warnings: FlinkOptionWarning[] } {
  const table = fromFlinkOptions(options, { table: false, ...settings });
  const { config, warnings } = sinkConfigOf<T>(table, options);
  for (const warning of warnings) settings.onWarning?.(warning);
  return { config, warnings: [...table.warnings, ...warnings] };
}
