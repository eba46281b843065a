import { DeregisterStreamConsumerCommand } from '@aws-sdk/client-kinesis';
import * as t from 'io-ts';
import {
  type Observable,
  type SchedulerLike,
  defer,
  finalize,
  forkJoin,
  of,
  switchMap,
  tap,
  throwError,
} from 'rxjs';
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../../client/BackoffPolicy.js';
import { ConfigError } from '../../client/errors.js';
import type { KinesisPort } from '../../client/KinesisPort.js';
import { retryWithBackoff } from '../../client/retryWithBackoff.js';
import { sendCommand } from '../../client/sendCommand.js';
import { integerIn, numberAtLeast } from '../../config/scalarCodecs.js';
import { strictObject } from '../../config/strictObject.js';
import type { ReaderStrategy } from '../ShardReader.js';
import { subscribeShard } from '../subscribeShard.js';
import { streamConsumer } from './streamConsumer.js';

const ConsumerName = new t.Type<string, string, unknown>(
  'a consumer name (1-128 characters of a-z, A-Z, 0-9, _ . -)',
  (u): u is string => typeof u === 'string' && /^[a-zA-Z0-9_.-]{1,128}$/.test(u),
  (u, c) =>
    typeof u === 'string' && /^[a-zA-Z0-9_.-]{1,128}$/.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);
const ConsumerArn = new t.Type<string, string, unknown>(
  'a consumer ARN (arn:aws:kinesis:…:stream/…/consumer/…)',
  (u): u is string => typeof u === 'string' && /^arn:[^:]+:kinesis:.*\/consumer\/.+/.test(u),
  (u, c) =>
    typeof u === 'string' && /^arn:[^:]+:kinesis:.*\/consumer\/.+/.test(u)
      ? t.success(u)
      : t.failure(u, c),
  t.identity,
);
const BackoffOverride = strictObject(
  'a backoff policy { base, max, expConst, maxRetries }',
  {},
  {
    base: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
    max: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
    expConst: numberAtLeast('a number ≥ 1', 1),
    maxRetries: integerIn('a whole number of retries ≥ 0', 0, Number.MAX_SAFE_INTEGER),
  },
);

/**
 * Enhanced fan-out settings (Flink `scan.stream.efo.*` and the consumer /
 * subscription retry options). Unknown keys are errors.
 *
 * - `consumerName` (Flink `scan.stream.efo.consumername`): required for LAZY and EAGER.
 * - `registration` (`scan.stream.efo.registration`): `'LAZY'` (default) registers on
 *   subscribe and deregisters on teardown; `'EAGER'` registers on the first subscribe,
 *   keeps the ARN for later ones and never deregisters; `'NONE'` uses `consumerArns`.
 * - `consumerArns` (`scan.stream.efo.consumerarn.<stream>`): stream name → consumer ARN.
 * - `registerTimeoutMs` (`scan.stream.registerstreamconsumer.timeout`, 60 s).
 * - `closedShardCheckMs`: once caught up, how often to look for a closed shard's
 *   children when no ChildShards event comes (default 10 s).
 * - `backoff`: `{ describeStream, registerStreamConsumer, describeStreamConsumer,
 *   deregisterStreamConsumer, subscribeToShard }`, each a partial policy over `DEFAULT_BACKOFF`.
 */
export const EfoConfig = strictObject(
  'enhanced fan-out settings',
  {},
  {
    consumerName: ConsumerName,
    registration: t.union([t.literal('LAZY'), t.literal('EAGER'), t.literal('NONE')]),
    consumerArns: t.record(t.string, ConsumerArn),
    registerTimeoutMs: integerIn('a whole number of milliseconds ≥ 1', 1, Number.MAX_SAFE_INTEGER),
    closedShardCheckMs: integerIn('a whole number of milliseconds ≥ 1', 1, Number.MAX_SAFE_INTEGER),
    backoff: strictObject(
      'EFO backoff policies',
      {},
      {
        describeStream: BackoffOverride,
        registerStreamConsumer: BackoffOverride,
        describeStreamConsumer: BackoffOverride,
        deregisterStreamConsumer: BackoffOverride,
        subscribeToShard: BackoffOverride,
      },
    ),
  },
);
export type EfoConfig = t.TypeOf<typeof EfoConfig>;

type EfoApi =
  | 'describeStream'
  | 'registerStreamConsumer'
  | 'describeStreamConsumer'
  | 'deregisterStreamConsumer'
  | 'subscribeToShard';

/**
 * The enhanced fan-out reader strategy: resolves a consumer per stream
 * (registering it under LAZY / EAGER, waiting for ACTIVE), reads every shard
 * with `subscribeShard`, and on teardown deregisters the consumers under
 * LAZY. `fromKinesis({ recordPublisher: 'EFO', efo })` uses it.
 *
 * ## Example
 * ```ts
 * import { fromKinesis } from 'rx-kinesis';
 * fromKinesis({ stream: 'orders', recordPublisher: 'EFO', efo: { consumerName: 'billing' } });
 * ```
 *
 * @param config consumer name, registration strategy, ARNs, timeouts, retry policies
 * @returns a `ReaderStrategy`
 * @throws ConfigError when the settings are inconsistent (before any request)
 */
export function efoStrategy(config: EfoConfig): ReaderStrategy {
  const registration = config.registration ?? 'LAZY';
  if (registration !== 'NONE' && config.consumerName === undefined) {
    throw new ConfigError([
      {
        path: 'source.efo.consumerName',
        value: undefined,
        expected: `a consumer name (registration ${registration} registers one)`,
      },
    ]);
  }
  const policy = (api: EfoApi): BackoffPolicy => ({
    ...DEFAULT_BACKOFF[api],
    ...(config.backoff?.[api] ?? {}),
  });
  const timeoutMs = config.registerTimeoutMs ?? 60_000;
  // EAGER: one registration per strategy, kept for every later subscription.
  const eager = new Map<string, string>();

  const consumerArn = (
    client: KinesisPort,
    stream: string,
    scheduler: SchedulerLike,
  ): Observable<string> => {
    if (registration === 'NONE') return of((config.consumerArns ?? {})[stream] as string);
    const known = eager.get(stream);
    if (known !== undefined) return of(known);
    return streamConsumer(
      client,
      stream,
      config.consumerName as string,
      {
        describeStream: policy('describeStream'),
        register: policy('registerStreamConsumer'),
        describeConsumer: policy('describeStreamConsumer'),
        timeoutMs,
      },
      scheduler,
    ).pipe(tap((arn) => registration === 'EAGER' && eager.set(stream, arn)));
  };

  const deregister = (client: KinesisPort, arn: string, scheduler: SchedulerLike): void => {
    // Fire and forget: the subscriber is gone, and a failure here only leaves a consumer
    // that the next LAZY start reuses.
    sendCommand(client, new DeregisterStreamConsumerCommand({ ConsumerARN: arn }))
      .pipe(retryWithBackoff(policy('deregisterStreamConsumer'), {}, scheduler))
      .subscribe({ error: () => undefined });
  };

  return {
    use: (streams, client, scheduler, body) =>
      defer(() => {
        if (registration === 'NONE') {
          const missing = streams.filter((s) => config.consumerArns?.[s] === undefined);
          if (missing.length > 0) {
            return throwError(
              () =>
                new ConfigError(
                  missing.map((stream) => ({
                    path: `source.efo.consumerArns.${stream}`,
                    value: undefined,
                    expected: 'a consumer ARN (registration NONE registers none)',
                  })),
                ),
            );
          }
        }
        const arns = new Map<string, string>();
        const reader = subscribeShard({
          consumerArnOf: (stream) => arns.get(stream) as string,
          backoff: policy('subscribeToShard'),
          ...(config.closedShardCheckMs !== undefined
            ? { closedShardCheckMs: config.closedShardCheckMs }
            : {}),
        });
        return forkJoin(
          streams.map((stream) =>
            consumerArn(client, stream, scheduler).pipe(tap((arn) => arns.set(stream, arn))),
          ),
        ).pipe(
          switchMap(() => body(reader)),
          finalize(() => {
            if (registration !== 'LAZY') return;
            for (const arn of arns.values()) deregister(client, arn, scheduler);
          }),
        );
      }),
  };
}
