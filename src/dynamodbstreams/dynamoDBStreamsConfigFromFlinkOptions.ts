import { DYNAMODB_STREAMS_OPTIONS_FAMILY } from '../flink/families/dynamoDBStreamsOptionsFamily.js';
import { translateOptions } from '../flink/translateOptions.js';
import {
  type DynamoDBStreamsConfig,
  resolveDynamoDBStreamsConfig,
} from './DynamoDBStreamsConfig.js';

/** A key that is valid in Flink but has no effect here. */
export interface DynamoDBStreamsOptionWarning {
  readonly key: string;
  readonly message: string;
}

type Backoff = NonNullable<DynamoDBStreamsConfig['backoff']>;

/** `options` over `base`: the nested `polling` and per-call `backoff` merged field by field. */
function over(base: DynamoDBStreamsConfig, options: DynamoDBStreamsConfig): DynamoDBStreamsConfig {
  const backoff: Record<string, unknown> = { ...base.backoff };
  for (const [call, policy] of Object.entries(options.backoff ?? {}))
    backoff[call] = { ...base.backoff?.[call as keyof Backoff], ...policy };
  return {
    ...base,
    ...options,
    ...(base.polling !== undefined || options.polling !== undefined
      ? { polling: { ...base.polling, ...options.polling } }
      : {}),
    ...(base.backoff !== undefined || options.backoff !== undefined
      ? { backoff: backoff as Backoff }
      : {}),
  };
}

/**
 * The `fromDynamoDBStreams` config of a Flink option map (the rows of
 * `DYNAMODB_STREAMS_OPTION_ROWS`: SQL `scan.stream.describe.*`, DataStream
 * `flink.dynamodbstreams.*`, and the common ones) over `base` (where the
 * table or stream ARN, credentials or a client go). The map is read by
 * `translateOptions` with `DYNAMODB_STREAMS_OPTIONS_FAMILY`, so
 * `DynamoDBStreamsConfig`'s codec judges every value. An unknown key (with a
 * did-you-mean), a value of the wrong type or out of range, or two keys
 * that set the same field throw one `ConfigError` naming the key; keys with
 * no effect here are accepted and reported to `onWarning` with the reason,
 * once the whole config is known to be good.
 *
 * ## Example
 * ```ts
 * import { fromDynamoDBStreams, dynamoDBStreamsConfigFromFlinkOptions } from 'rx-kinesis';
 * const config = dynamoDBStreamsConfigFromFlinkOptions(
 *   { 'aws.region': 'eu-west-1', 'flink.stream.initpos': 'TRIM_HORIZON', 'scan.stream.describe.maxretries': '10' },
 *   { table: 'orders' },
 * );
 * fromDynamoDBStreams(config).subscribe(console.log);
 * ```
 *
 * @param options Flink keys to text values
 * @param base the rest of the config
 * @param onWarning called once per key that has no effect here
 * @returns the config (already checked: `fromDynamoDBStreams` accepts it)
 */
export function dynamoDBStreamsConfigFromFlinkOptions(
  options: Readonly<Record<string, string>>,
  base: DynamoDBStreamsConfig = {},
  onWarning?: (warning: DynamoDBStreamsOptionWarning) => void,
): DynamoDBStreamsConfig {
  const { config, warnings } = translateOptions(DYNAMODB_STREAMS_OPTIONS_FAMILY, options);
  const merged = over(base, config);
  resolveDynamoDBStreamsConfig(merged);
  for (const warning of warnings) onWarning?.(warning);
  return merged;
}
