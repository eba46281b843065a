import type { SourceConfig } from '../source/SourceConfig.js';
import { CONSUMER_PROPERTIES_FAMILY } from './families/consumerPropertiesFamily.js';
import type { FlinkPropertiesSettings } from './OptionRow.js';
import { translateOptions } from './translateOptions.js';

/**
 * The `fromKinesis` config of a Flink Kinesis consumer's `Properties`:
 * `ConsumerConfigConstants` (`flink.stream.initpos`, `flink.shard.*`, …),
 * `AWSConfigConstants` (`aws.region`, `aws.credentials.provider`, …) and the
 * current connector's `source.*` keys, plus `stream` for the stream(s) Flink
 * takes as a constructor argument (a name, an ARN, or a comma-separated
 * list). Every key is read with Flink's default; a bad map throws one
 * `ConfigError` naming each key, its value and what was expected. Keys that
 * mean nothing here are accepted and reported through `onWarning`.
 *
 * ## Example
 * ```ts
 * import { fromKinesis, sourceConfigFromFlinkProperties } from 'rx-kinesis';
 * const config = sourceConfigFromFlinkProperties({
 *   stream: 'kinesis_stream_name',
 *   'aws.region': 'us-east-1',
 *   'flink.stream.initpos': 'LATEST',
 * });
 * fromKinesis(config).subscribe(console.log);
 * ```
 *
 * @param props the properties, as `Properties` would hold them (all text)
 * @param settings `onWarning` receives keys accepted without effect
 * @returns a config `fromKinesis` accepts
 * @throws ConfigError for unknown keys, wrong types, values out of range
 */
export function sourceConfigFromFlinkProperties(
  props: Readonly<Record<string, string>>,
  settings: FlinkPropertiesSettings = {},
): SourceConfig {
  return translateOptions(CONSUMER_PROPERTIES_FAMILY, props, settings).config;
}
