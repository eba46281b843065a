import type { SourceConfig } from '../source/SourceConfig.js';
import {
  type FlinkOptionWarning,
  type FlinkTableOptions,
  type FromFlinkOptionsSettings,
  fromFlinkOptions,
} from './fromFlinkOptions.js';

/** Source keys Flink has that `fromKinesis` does not use, and what to do instead. */
const NO_EFFECT: ReadonlyArray<[RegExp, string]> = [
  [
    /^scan\.stream\.deregisterstreamconsumer\.timeout$/,
    'deregistration is not awaited with a timeout here',
  ],
  [/^scan\.stream\.efo\.http-client\./, 'the SDK manages its HTTP/2 connections'],
  [
    /^scan\.shard\.idle\.interval$/,
    'pipe the records through idleShards(ms) and watermarks() yourself',
  ],
  [/^scan\.watermark\./, 'pipe the records through alignWatermarks(...) yourself'],
];
/** EFO keys: used with `recordPublisher` EFO, without effect with POLLING. */
const EFO_ONLY =
  /^scan\.stream\.(describe|describestreamconsumer|registerstreamconsumer|deregisterstreamconsumer)\.|^scan\.shard\.subscribetoshard\.|^scan\.stream\.efo\./;

/** The `fromKinesis` config of a decoded option map, with warnings for keys it cannot honour. */
export function sourceConfigOf(
  table: FlinkTableOptions,
  given: Readonly<Record<string, string>>,
): { config: SourceConfig; warnings: FlinkOptionWarning[] } {
  const warnings: FlinkOptionWarning[] = [];
  const { source, client } = table;
  for (const key of Object.keys(given)) {
    const match = NO_EFFECT.find(([pattern]) => pattern.test(key));
    if (match !== undefined)
      warnings.push({
        key,
        message: `${key} is accepted but has no effect on fromKinesis: ${match[1]}`,
      });
    else if (source.recordPublisher === 'POLLING' && EFO_ONLY.test(key))
      warnings.push({
        key,
        message: `${key} is accepted but has no effect: scan.stream.recordpublisher is POLLING`,
      });
  }
  const efo = {
    ...(source.efo.consumerName !== undefined ? { consumerName: source.efo.consumerName } : {}),
    registration: source.efo.registration,
    registerTimeoutMs: source.efo.registerTimeoutMs,
    backoff: {
      describeStream: source.backoff.describeStream,
      registerStreamConsumer: source.backoff.registerStreamConsumer,
      describeStreamConsumer: source.backoff.describeStreamConsumer,
      deregisterStreamConsumer: source.backoff.deregisterStreamConsumer,
      subscribeToShard: source.backoff.subscribeToShard,
    },
    ...(Object.keys(source.efo.consumerArns).length > 0
      ? { consumerArns: { ...source.efo.consumerArns } }
      : {}),
  };
  const config: SourceConfig = {
    stream: source.stream,
    ...client,
    initialPosition: source.initialPosition,
    discoveryIntervalMs: source.discoveryIntervalMs,
    polling: {
      maxRecords: source.polling.maxRecords,
      intervalMs: source.polling.intervalMs,
      adaptive: source.polling.adaptive,
    },
    backoff: {
      listShards: source.backoff.listShards,
      getShardIterator: source.backoff.getShardIterator,
      getRecords: source.backoff.getRecords,
    },
    recordPublisher: source.recordPublisher,
    ...(source.recordPublisher === 'EFO' ? { efo } : {}),
  };
  return { config, warnings };
}

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
  const { config, warnings } = sourceConfigOf(table, options);
  for (const warning of warnings) settings.onWarning?.(warning);
  return { config, warnings: [...table.warnings, ...warnings] };
}
