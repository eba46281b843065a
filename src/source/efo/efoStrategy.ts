import * as t from 'io-ts';
import { recordCodec } from '../../config/recordCodec.js';
import { unionCodec } from '../../config/unionCodec.js';
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
import { ConfigError, type KinesisCallError, errorText } from '../../client/errors.js';
import type { KinesisPort } from '../../client/KinesisPort.js';
import { functionCodec, integerIn, numberAtLeast } from '../../config/scalarCodecs.js';
import { strictObject } from '../../config/strictObject.js';
import type { ReaderStrategy } from '../ShardReader.js';
import { subscribeShard } from '../subscribeShard.js';
import { type ConsumerToDeregister, deregisterConsumer } from './deregisterConsumer.js';
import { type StreamConsumerOptions, streamConsumer } from './streamConsumer.js';

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
 *   subscribe and deregisters on teardown — also when the subscriber leaves while the
 *   RegisterStreamConsumer is in flight or the consumer is not ACTIVE yet (by ARN once an
 *   answer named it, else by stream ARN and name); `'EAGER'` registers on the first subscribe,
 *   keeps the ARN for later ones and never deregisters; `'NONE'` uses `consumerArns`.
 * - `consumerArns` (`scan.stream.efo.consumerarn.<stream>`): stream name → consumer ARN.
 * - `registerTimeoutMs` (`scan.stream.registerstreamconsumer.timeout`, 60 s).
 * - `closedShardCheckMs`: once caught up, how often to look for a closed shard's
 *   children when no ChildShards event comes (default 10 s).
 * - `backoff`: `{ describeStream, registerStreamConsumer, describeStreamConsumer,
 *   deregisterStreamConsumer, subscribeToShard }`, each a partial policy over `DEFAULT_BACKOFF`.
 * - `onDeregisterError`: LAZY deregistration runs after teardown (teardown cannot wait for
 *   it), retried with `backoff.deregisterStreamConsumer`; if it still fails, the
 *   `KinesisCallError` (operation `DeregisterStreamConsumer`) is handed here — the consumer
 *   is left registered (the next LAZY start reuses it). Default: one `console.warn` line.
 *   It must not throw. A consumer already gone (not found) is not an error.
 */
export const EfoConfig = strictObject(
  'enhanced fan-out settings',
  {},
  {
    consumerName: ConsumerName,
    registration: unionCodec([t.literal('LAZY'), t.literal('EAGER'), t.literal('NONE')]),
    consumerArns: recordCodec(ConsumerArn),
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
    onDeregisterError: functionCodec<(error: KinesisCallError) => void>(
      'a function (error) => void',
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

  const onDeregisterError =
    config.onDeregisterError ??
    ((error: KinesisCallError) =>
      console.warn(`rx-kinesis: ${error.message}; the consumer is left registered`));

  const consumerArn = (
    client: KinesisPort,
    stream: string,
    scheduler: SchedulerLike,
    hooks: Pick<StreamConsumerOptions, 'onRegisterSent' | 'onConsumerArn'>,
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
        ...hooks,
      },
      scheduler,
    ).pipe(tap((arn) => registration === 'EAGER' && eager.set(stream, arn)));
  };

  const deregister = (
    client: KinesisPort,
    consumer: ConsumerToDeregister,
    scheduler: SchedulerLike,
  ): void => {
    // Not awaited: the subscriber is gone and teardown cannot wait. The retries run on the
    // scheduler and end with success or one report; nothing outlives them.
    deregisterConsumer(client, consumer, policy('deregisterStreamConsumer'), scheduler).subscribe({
      error: (error: unknown) => {
        try {
          onDeregisterError(error as KinesisCallError);
        } catch (thrown) {
          // after teardown there is no Observable to fail: say so rather than throw uncaught
          console.warn(
            `rx-kinesis: onDeregisterError threw ${errorText(thrown)} on: ${(error as Error).message}; the consumer is left registered`,
          );
        }
      },
    });
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
        // LAZY: every consumer this subscription may have created, from the moment its
        // RegisterStreamConsumer is sent (not only once ACTIVE), so teardown at any point
        // deregisters it.
        const created = new Map<string, ConsumerToDeregister>();
        const consumerName = config.consumerName as string;
        const lazyHooks = (
          stream: string,
        ): Pick<StreamConsumerOptions, 'onRegisterSent' | 'onConsumerArn'> =>
          registration !== 'LAZY'
            ? {}
            : {
                // A (re-)registration may create a consumer with a new ARN: by name until
                // an answer names it.
                onRegisterSent: (streamArn) =>
                  created.set(stream, { stream, streamArn, consumerName }),
                onConsumerArn: (arn) => created.set(stream, { stream, consumerArn: arn }),
              };
        const reader = subscribeShard({
          consumerArnOf: (stream) => arns.get(stream) as string,
          backoff: policy('subscribeToShard'),
          ...(config.closedShardCheckMs !== undefined
            ? { closedShardCheckMs: config.closedShardCheckMs }
            : {}),
        });
        return forkJoin(
          streams.map((stream) =>
            consumerArn(client, stream, scheduler, lazyHooks(stream)).pipe(
              tap((arn) => arns.set(stream, arn)),
            ),
          ),
        ).pipe(
          switchMap(() => body(reader)),
          finalize(() => {
            for (const consumer of created.values()) deregister(client, consumer, scheduler);
          }),
        );
      }),
  };
}
