import type { SinkConfig } from '../sink/SinkConfig.js';
import type { SinkInput } from '../sink/SinkInput.js';
import { KPL_PRODUCER_FAMILY } from './families/kplProducerFamily.js';
import type { FlinkPropertiesSettings } from './OptionRow.js';
import { translateOptions } from './translateOptions.js';

/**
 * The `toKinesis` config of a FlinkKinesisProducer's `Properties`: the KPL's
 * keys (`CollectionMaxCount`, `RecordTtl`, `RateLimit`, `RequestTimeout`,
 * `AggregationEnabled`, …) and `AWSConfigConstants`, plus the producer's
 * setters as keys: `DefaultStream` (required; a name or an ARN),
 * `DefaultPartition`, `QueueLimit`, `FailOnError`. Every key is read with
 * Flink's default (aggregation on, `RateLimit` 100, `RecordTtl` 30000); a bad
 * map throws one `ConfigError` naming each key, its value and what was
 * expected. Keys of the KPL's native process (`ThreadPoolSize`,
 * `MetricsLevel`, …) are accepted and reported through `onWarning`.
 *
 * ## Example
 * ```ts
 * import { sinkConfigFromKplProperties, toKinesis } from 'rx-kinesis';
 * const config = sinkConfigFromKplProperties({
 *   'aws.region': 'us-east-1',
 *   DefaultStream: 'my-output-stream',
 *   CollectionMaxCount: '100',
 *   RecordTtl: '30000',
 * });
 * const sink = toKinesis<string>(config);
 * ```
 *
 * @param props the properties, as `Properties` would hold them (all text)
 * @param settings `onWarning` receives keys accepted without effect
 * @returns a config `toKinesis` accepts
 * @throws ConfigError for unknown keys, wrong types, values out of range
 */
export function sinkConfigFromKplProperties<T extends SinkInput = SinkInput>(
  props: Readonly<Record<string, string>>,
  settings: FlinkPropertiesSettings = {},
): SinkConfig<T> {
  return translateOptions(KPL_PRODUCER_FAMILY, props, settings).config as SinkConfig<T>;
}
