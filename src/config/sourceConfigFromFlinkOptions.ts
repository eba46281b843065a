import type { SourceConfig } from '../source/SourceConfig.js';
import {
  type FlinkOptionWarning,
  type FromFlinkOptionsSettings,
  fromFlinkOptions,
} from './fromFlinkOptions.js';

/**
 * The `fromKinesis` source config of a Flink option map (the keys of
 * Flink's Kinesis SQL connector; `connector` and `format` may be left out).
 * Bad options throw one `ConfigError`; keys that are valid in Flink but have
 * no effect here, and deprecated keys, come back as warnings.
 *
 * ## Example
 * ```ts
 * import { fromKinesis, sourceConfigFromFlinkOptions } from 'rx-kinesis';
 * const { config } = sourceConfigFromFlinkOptions({
 *   stream: 'user_behavior', 'aws.region': 'us-east-2', 'scan.stream.initpos': 'TRIM_HORIZON',
 * });
 * fromKinesis(config).subscribe(console.log);
 * ```
 */
export function sourceConfigFromFlinkOptions(
  options: Readonly<Record<string, string>>,
  settings: FromFlinkOptionsSettings = {},
): { config: SourceConfig; warnings: FlinkOptionWarning[] } {
  const table = fromFlinkOptions(options, { table: false, ...settings });
  return { config: table.source, warnings: [...table.warnings] };
}
