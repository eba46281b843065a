import type { SinkConfig } from '../sink/SinkConfig.js';
import type { SinkInput } from '../sink/SinkInput.js';
import {
  type FlinkOptionWarning,
  type FromFlinkOptionsSettings,
  fromFlinkOptions,
} from './fromFlinkOptions.js';

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
  return { config: table.sink as SinkConfig<T>, warnings: [...table.warnings] };
}
