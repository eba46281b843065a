import {
  DescribeStreamConsumerCommand,
  type DescribeStreamConsumerOutput,
  DescribeStreamSummaryCommand,
  type DescribeStreamSummaryOutput,
  RegisterStreamConsumerCommand,
  type RegisterStreamConsumerOutput,
} from '@aws-sdk/client-kinesis';
import {
  type Observable,
  type SchedulerLike,
  catchError,
  defer,
  map,
  switchMap,
  tap,
  throwError,
  timer,
  timeout,
} from 'rxjs';
import { type BackoffPolicy, fullJitterDelay } from '../../client/BackoffPolicy.js';
import { classifyError } from '../../client/classifyError.js';
import { KinesisCallError } from '../../client/errors.js';
import type { KinesisPort } from '../../client/KinesisPort.js';
import { retryWithBackoff } from '../../client/retryWithBackoff.js';
import { sendCommand } from '../../client/sendCommand.js';

/** What `streamConsumer` needs besides the stream and the name. */
export interface StreamConsumerOptions {
  readonly describeStream: BackoffPolicy;
  readonly register: BackoffPolicy;
  readonly describeConsumer: BackoffPolicy;
  /** Give up waiting for ACTIVE after this long (Flink `scan.stream.registerstreamconsumer.timeout`). */
  readonly timeoutMs: number;
  readonly random?: () => number;
  /**
   * Called with the stream ARN each time a RegisterStreamConsumer is about to be
   * sent: from then on a consumer may exist that the caller has to deregister.
   */
  readonly onRegisterSent?: (streamArn: string) => void;
  /** Called with the consumer ARN as soon as an answer names it (before ACTIVE). */
  readonly onConsumerArn?: (consumerArn: string) => void;
}

/** The stream's ARN (DescribeStreamSummary, retried). */
export function streamArnOf(
  client: KinesisPort,
  stream: string,
  policy: BackoffPolicy,
  scheduler: SchedulerLike,
): Observable<string> {
  return sendCommand<DescribeStreamSummaryOutput>(
    client,
    new DescribeStreamSummaryCommand({ StreamName: stream }),
  ).pipe(
    retryWithBackoff<DescribeStreamSummaryOutput>(policy, {}, scheduler),
    map((out) => out.StreamDescriptionSummary?.StreamARN ?? ''),
    catchError((error: unknown) =>
      throwError(() => new KinesisCallError('DescribeStreamSummary', stream, error)),
    ),
  );
}

/**
 * Registers the named consumer on a stream (or reuses it when it already
 * exists), then waits until it is ACTIVE, asking DescribeStreamConsumer with
 * full-jitter backoff (its limit is 20 calls/s per account, shared by every
 * reader starting at once). A consumer still being deleted is waited out and
 * registered again. Emits the consumer ARN once.
 *
 * ## Example
 * ```ts
 * import { streamConsumer, DEFAULT_BACKOFF } from 'rx-kinesis';
 * streamConsumer(client, 'orders', 'my-app', { describeStream: DEFAULT_BACKOFF.describeStream,
 *   register: DEFAULT_BACKOFF.registerStreamConsumer,
 *   describeConsumer: DEFAULT_BACKOFF.describeStreamConsumer, timeoutMs: 60_000 });
 * ```
 */
export function streamConsumer(
  client: KinesisPort,
  stream: string,
  consumerName: string,
  options: StreamConsumerOptions,
  scheduler: SchedulerLike,
): Observable<string> {
  const random = options.random ?? Math.random;
  const learnArn = (arn: string | undefined): void => {
    if (arn !== undefined && arn !== '') options.onConsumerArn?.(arn);
  };
  const failed = (operation: string) => (error: unknown) =>
    throwError(() =>
      error instanceof KinesisCallError ? error : new KinesisCallError(operation, stream, error),
    );

  return streamArnOf(client, stream, options.describeStream, scheduler).pipe(
    switchMap((streamArn) => {
      const describe = (): Observable<DescribeStreamConsumerOutput> =>
        sendCommand<DescribeStreamConsumerOutput>(
          client,
          new DescribeStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: consumerName }),
        ).pipe(
          retryWithBackoff<DescribeStreamConsumerOutput>(
            options.describeConsumer,
            { random },
            scheduler,
          ),
          tap((out) => learnArn(out.ConsumerDescription?.ConsumerARN)),
        );
      const register = (): Observable<string> =>
        defer(() => {
          // Announced before the request leaves: an unsubscription while it is in flight
          // must still deregister whatever the server may have created.
          options.onRegisterSent?.(streamArn);
          return sendCommand<RegisterStreamConsumerOutput>(
            client,
            new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: consumerName }),
          );
        }).pipe(
          retryWithBackoff<RegisterStreamConsumerOutput>(options.register, { random }, scheduler),
          tap((out) => learnArn(out.Consumer?.ConsumerARN)),
          map((out) => out.Consumer?.ConsumerARN ?? ''),
          catchError((error: unknown) =>
            // Registered already (by us earlier, or another reader racing us): reuse it.
            (error as { name?: unknown }).name === 'ResourceInUseException'
              ? describe().pipe(map((out) => out.ConsumerDescription?.ConsumerARN ?? ''))
              : failed('RegisterStreamConsumer')(error),
          ),
        );
      // Poll until ACTIVE; a DELETING consumer (a previous run's) is waited out, then registered.
      const awaitActive = (attempt: number): Observable<string> =>
        describe().pipe(
          catchError((error: unknown) =>
            classifyError(error) === 'not-found'
              ? register().pipe(switchMap(() => describe()))
              : failed('DescribeStreamConsumer')(error),
          ),
          switchMap((out) => {
            const description = out.ConsumerDescription;
            if (description?.ConsumerStatus === 'ACTIVE')
              return defer(() => [description.ConsumerARN ?? '']);
            const wait = Math.max(50, fullJitterDelay(options.describeConsumer, attempt, random));
            return timer(wait, scheduler).pipe(switchMap(() => awaitActive(attempt + 1)));
          }),
        );
      return register().pipe(switchMap(() => awaitActive(0)));
    }),
    timeout({
      first: options.timeoutMs,
      scheduler,
      with: () =>
        throwError(
          () =>
            new KinesisCallError(
              'RegisterStreamConsumer',
              stream,
              new Error(`consumer "${consumerName}" not ACTIVE after ${options.timeoutMs} ms`),
            ),
        ),
    }),
  );
}
