import { DeregisterStreamConsumerCommand } from '@aws-sdk/client-kinesis';
import {
  type Observable,
  type SchedulerLike,
  EMPTY,
  catchError,
  ignoreElements,
  throwError,
} from 'rxjs';
import type { BackoffPolicy } from '../../client/BackoffPolicy.js';
import { classifyError } from '../../client/classifyError.js';
import { KinesisCallError } from '../../client/errors.js';
import type { KinesisPort } from '../../client/KinesisPort.js';
import { retryWithBackoff } from '../../client/retryWithBackoff.js';
import { sendCommand } from '../../client/sendCommand.js';

/**
 * The consumer to deregister: by its ARN when an answer named it, else by the
 * stream ARN and consumer name (a RegisterStreamConsumer was sent but its
 * answer never seen).
 */
export type ConsumerToDeregister = { readonly stream: string } & (
  { readonly consumerArn: string } | { readonly streamArn: string; readonly consumerName: string }
);

/**
 * Deregisters one stream consumer: DeregisterStreamConsumer, retried with
 * `policy` on throttling / 5xx and on ResourceInUseException (a consumer
 * still CREATING cannot be deleted yet on some endpoints). A consumer that is
 * not found is already gone, which is what was asked: that completes too.
 * Completes without a value; the last error goes down the error channel as a
 * `KinesisCallError` (operation `DeregisterStreamConsumer`, the stream, the cause).
 *
 * ## Example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { deregisterConsumer, DEFAULT_BACKOFF } from 'rx-kinesis';
 * deregisterConsumer(client, { stream: 'orders', consumerArn }, DEFAULT_BACKOFF.deregisterStreamConsumer,
 *   asyncScheduler).subscribe({ error: (e) => console.warn(e) });
 * ```
 *
 * @param client the Kinesis port
 * @param consumer the consumer, by ARN or by stream ARN and name
 * @param policy retry policy (`DEFAULT_BACKOFF.deregisterStreamConsumer` by default in EFO)
 * @param scheduler where the retry delays run
 */
export function deregisterConsumer(
  client: KinesisPort,
  consumer: ConsumerToDeregister,
  policy: BackoffPolicy,
  scheduler: SchedulerLike,
): Observable<never> {
  const input =
    'consumerArn' in consumer
      ? { ConsumerARN: consumer.consumerArn }
      : { StreamARN: consumer.streamArn, ConsumerName: consumer.consumerName };
  return sendCommand(client, new DeregisterStreamConsumerCommand(input)).pipe(
    retryWithBackoff(
      policy,
      {
        shouldRetry: (error) =>
          classifyError(error) === 'retryable' ||
          (error as { name?: unknown }).name === 'ResourceInUseException',
      },
      scheduler,
    ),
    ignoreElements(),
    catchError((error: unknown) => {
      if (classifyError(error) === 'not-found') return EMPTY;
      return throwError(
        () => new KinesisCallError('DeregisterStreamConsumer', consumer.stream, error),
      );
    }),
  );
}
