import {
  PutRecordsCommand,
  type PutRecordsOutput,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { Observable, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';
import { type BackoffPolicy, fullJitterDelay } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import { KinesisCallError, StreamNotFoundError } from '../client/errors.js';
import type { KinesisPort } from '../client/KinesisPort.js';
import { sendCommand } from '../client/sendCommand.js';
import { type PutRecordsFailure, PutRecordsError } from './PutRecordsError.js';

/** One record to put: what PutRecords needs of it. */
export interface PutEntry {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
}

/** How `putRecordsWithRetry` retries. */
export interface PutRecordsRetryOptions {
  /** Full-jitter backoff between attempts and the retry limit (default Flink-like: 100 ms base, 5 s cap, ×2, 10 retries). */
  readonly policy: BackoffPolicy;
  /** Any failed entry or failed call is fatal at once (Flink `sink.fail-on-error`). */
  readonly failOnError?: boolean;
  /** Source of randomness in [0, 1) for the jitter. */
  readonly random?: () => number;
  /** Called once per retried request, before its wait, with the number of entries it sends again. */
  readonly onRetry?: (entries: number) => void;
}

/** Where each entry of a batch landed (arrays in the batch's order), and what it took. */
export interface PutRecordsOutcome<E> {
  readonly entries: readonly E[];
  readonly shardIds: readonly string[];
  readonly sequenceNumbers: readonly string[];
  /** PutRecords calls made (1 when nothing failed). */
  readonly requests: number;
  /** Entries sent again after a failure (of the entry or of the whole call). */
  readonly retriedRecords: number;
}

/**
 * Puts one batch (≤ 500 entries, ≤ 5 MiB) to a stream with PutRecords and
 * retries what failed: after a partial failure only the failed entries are
 * sent again; a throttled or 5xx/network-failed call is sent again whole;
 * both after a full-jitter exponential delay on the scheduler, at most
 * `policy.maxRetries` times. Emits one outcome (every entry's shard and
 * sequence number) and completes, or errors with `PutRecordsError` (entries
 * still failing, an unretryable entry error, or any failure with
 * `failOnError`), `StreamNotFoundError` or `KinesisCallError`.
 * Unsubscribing aborts the request in flight and cancels a pending retry.
 *
 * ## Example
 * ```ts
 * import { putRecordsWithRetry, DEFAULT_BACKOFF } from 'rx-kinesis';
 * putRecordsWithRetry(client, 'orders', [{ partitionKey: 'k', explicitHashKey: undefined,
 *   data: new TextEncoder().encode('hi') }], { policy: DEFAULT_BACKOFF.putRecords })
 *   .subscribe((outcome) => console.log(outcome.sequenceNumbers));
 * ```
 *
 * @param port the Kinesis client
 * @param stream target stream name
 * @param entries the batch
 * @param options backoff policy, failOnError, randomness
 * @param scheduler where the backoff delays run; defaults to `asyncScheduler`
 */
export function putRecordsWithRetry<E extends PutEntry>(
  port: KinesisPort,
  stream: string,
  entries: readonly E[],
  options: PutRecordsRetryOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<PutRecordsOutcome<E>> {
  return new Observable<PutRecordsOutcome<E>>((subscriber) => {
    const { policy, failOnError = false, random = Math.random, onRetry } = options;
    const requestEntries: PutRecordsRequestEntry[] = new Array<PutRecordsRequestEntry>(
      entries.length,
    );
    const pending: number[] = new Array<number>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as E;
      requestEntries[i] =
        entry.explicitHashKey === undefined
          ? { Data: entry.data, PartitionKey: entry.partitionKey }
          : {
              Data: entry.data,
              PartitionKey: entry.partitionKey,
              ExplicitHashKey: entry.explicitHashKey,
            };
      pending[i] = i;
    }
    const shardIds = new Array<string>(entries.length);
    const sequenceNumbers = new Array<string>(entries.length);
    let indices = pending;
    // the backoff exponent, and the attempts in a row that stored nothing (what maxRetries limits)
    let attempt = 0;
    let fruitless = 0;
    let requests = 0;
    let retriedRecords = 0;
    let request: Subscription | undefined;
    let wait: Subscription | undefined;

    const retry = (failed: number[], failures: PutRecordsFailure[]): void => {
      if (fruitless >= policy.maxRetries) {
        subscriber.error(new PutRecordsError(stream, fruitless + 1, failures));
        return;
      }
      let delay: number;
      try {
        delay = fullJitterDelay(policy, attempt, random);
        onRetry?.(failed.length);
      } catch (error) {
        // called from a plain observer: the error channel, or it would be uncaught
        subscriber.error(error);
        return;
      }
      attempt += 1;
      fruitless += 1;
      retriedRecords += failed.length;
      indices = failed;
      wait = scheduler.schedule(send, delay);
    };

    const onOutput = (output: PutRecordsOutput): void => {
      const results = output.Records ?? [];
      let failed: number[] | undefined;
      let failures: PutRecordsFailure[] | undefined;
      let fatal = false;
      for (let j = 0; j < indices.length; j++) {
        const index = indices[j] as number;
        const result = results[j];
        if (
          result !== undefined &&
          result.ErrorCode === undefined &&
          result.SequenceNumber !== undefined
        ) {
          shardIds[index] = result.ShardId ?? '';
          sequenceNumbers[index] = result.SequenceNumber;
          continue;
        }
        const errorCode = result?.ErrorCode ?? 'MissingResult';
        (failed ??= []).push(index);
        (failures ??= []).push({
          partitionKey: (entries[index] as E).partitionKey,
          errorCode,
          errorMessage: result?.ErrorMessage,
        });
        // an entry error no retry can fix (e.g. KMSAccessDeniedException) fails at once
        if (classifyError({ name: errorCode }) !== 'retryable') fatal = true;
      }
      if (failed === undefined || failures === undefined) {
        subscriber.next({ entries, shardIds, sequenceNumbers, requests, retriedRecords });
        subscriber.complete();
        return;
      }
      if (failOnError || fatal) {
        subscriber.error(new PutRecordsError(stream, fruitless + 1, failures));
        return;
      }
      if (failed.length < indices.length) {
        // some entries were stored: the shard is busy, not broken (throttling under load). The
        // retry limit counts attempts in a row that store nothing; the backoff keeps growing.
        fruitless = 0;
      }
      retry(failed, failures);
    };

    const onError = (error: unknown): void => {
      const kind = classifyError(error);
      if (kind === 'not-found') {
        subscriber.error(new StreamNotFoundError(stream, error));
      } else if (kind !== 'retryable' || failOnError) {
        subscriber.error(new KinesisCallError('PutRecords', stream, error));
      } else if (fruitless >= policy.maxRetries) {
        subscriber.error(new KinesisCallError('PutRecords', stream, error));
      } else {
        const name = (error as { name?: unknown }).name;
        retry(
          indices,
          indices.map((index) => ({
            partitionKey: (entries[index] as E).partitionKey,
            errorCode: typeof name === 'string' ? name : 'Error',
            errorMessage: error instanceof Error ? error.message : undefined,
          })),
        );
      }
    };

    function send(): void {
      requests += 1;
      const records =
        indices.length === requestEntries.length
          ? requestEntries
          : indices.map((index) => requestEntries[index] as PutRecordsRequestEntry);
      request = sendCommand<PutRecordsOutput>(
        port,
        new PutRecordsCommand({ StreamName: stream, Records: records }),
      ).subscribe({ next: onOutput, error: onError });
    }

    if (entries.length === 0) {
      // Kinesis refuses an empty PutRecords; nothing to do is done at once
      subscriber.next({ entries, shardIds, sequenceNumbers, requests, retriedRecords });
      subscriber.complete();
      return undefined;
    }
    send();
    return () => {
      request?.unsubscribe();
      wait?.unsubscribe();
    };
  });
}
