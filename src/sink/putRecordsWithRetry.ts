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
import { type RequestTimeout, sendCommand } from '../client/sendCommand.js';
import { streamTarget } from '../client/StreamArn.js';
import { type PutRecordsFailure, PutRecordsError } from './PutRecordsError.js';
import type { PutAdmission } from './ShardRateLimiter.js';

/** One record to put: what PutRecords needs of it. */
export interface PutEntry {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** Data plus partition key in bytes, when known (the rate limit needs it). */
  readonly size?: number;
  /** Scheduler time the record was received (`recordTtlMs` counts from it). */
  readonly receivedAt?: number;
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
  /** Abort a PutRecords with no answer after this long and retry it (retryable). */
  readonly requestTimeoutMs?: number;
  /**
   * Entries whose `receivedAt` lies this long in the past before an attempt
   * are not sent again: the outcome lists them in `expired`.
   */
  readonly recordTtlMs?: number;
  /** Asked before each request which entries may go now (`rateLimit`, a `ShardRateLimiter`). */
  readonly admission?: PutAdmission;
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
  /** Indices of entries that expired (`recordTtlMs`) before they were stored; no shard, no sequence number. */
  readonly expired?: readonly number[];
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
 * With `requestTimeoutMs` an unanswered request is aborted after that time
 * (a timer on the scheduler) and retried like a 5xx. With `recordTtlMs`,
 * before every attempt the entries received longer ago than that are taken
 * out and listed in the outcome's `expired` (never sent again, never
 * silently lost). With `admission` (the rate limit), each request carries
 * only the entries whose shards have room; the rest follow when they do,
 * in order — waiting for room is not a retry and counts against no limit.
 * `stream` may be a name or a stream ARN (sent as `StreamARN`).
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
 * @param stream target stream name or ARN
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
    const { recordTtlMs, admission } = options;
    const target = streamTarget(stream);
    const batchAdmission = admission?.forBatch(stream, entries);
    const timeout: RequestTimeout | undefined =
      options.requestTimeoutMs === undefined
        ? undefined
        : { ms: options.requestTimeoutMs, scheduler };
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
    // the entries still to store, in batch order; `sent` those of the request in flight, `held`
    // those the rate limit keeps back meanwhile
    let indices = pending;
    let sent: number[] = pending;
    let held: number[] = [];
    let expired: number[] | undefined;
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
      indices = held.length === 0 ? failed : mergeSorted(failed, held);
      wait = scheduler.schedule(send, Math.min(delay, untilExpiry()));
    };

    // Time until the first entry still to store expires (Infinity without a TTL): a wait ends
    // then at the latest, so an expiry is reported when it happens, not after a long backoff.
    const untilExpiry = (): number => {
      if (recordTtlMs === undefined) return Infinity;
      let first = Infinity;
      for (const index of indices) {
        first = Math.min(first, (entries[index] as E).receivedAt ?? 0);
      }
      return Math.max(0, first + recordTtlMs - scheduler.now());
    };

    const finish = (): void => {
      subscriber.next({
        entries,
        shardIds,
        sequenceNumbers,
        requests,
        retriedRecords,
        ...(expired !== undefined ? { expired } : {}),
      });
      subscriber.complete();
    };

    const onOutput = (output: PutRecordsOutput): void => {
      const results = output.Records ?? [];
      let failed: number[] | undefined;
      let failures: PutRecordsFailure[] | undefined;
      let fatal = false;
      for (let j = 0; j < sent.length; j++) {
        const index = sent[j] as number;
        const result = results[j];
        if (
          result !== undefined &&
          result.ErrorCode === undefined &&
          result.SequenceNumber !== undefined
        ) {
          const shardId = result.ShardId ?? '';
          shardIds[index] = shardId;
          sequenceNumbers[index] = result.SequenceNumber;
          admission?.stored(stream, shardId);
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
        fruitless = 0;
        if (held.length === 0) finish();
        else {
          // the rate limit held some back: they go when their shards have room
          indices = held;
          held = [];
          send();
        }
        return;
      }
      if (failOnError || fatal) {
        subscriber.error(new PutRecordsError(stream, fruitless + 1, failures));
        return;
      }
      if (failed.length < sent.length) {
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
          sent,
          sent.map((index) => ({
            partitionKey: (entries[index] as E).partitionKey,
            errorCode: typeof name === 'string' ? name : 'Error',
            errorMessage: error instanceof Error ? error.message : undefined,
          })),
        );
      }
    };

    function send(): void {
      if (recordTtlMs !== undefined) {
        const now = scheduler.now();
        let kept: number[] | undefined;
        for (let j = 0; j < indices.length; j++) {
          const index = indices[j] as number;
          if (now - ((entries[index] as E).receivedAt ?? 0) < recordTtlMs) {
            kept?.push(index);
            continue;
          }
          kept ??= indices.slice(0, j);
          (expired ??= []).push(index);
        }
        if (kept !== undefined) indices = kept;
        if (indices.length === 0) {
          finish();
          return;
        }
      }
      sent = indices;
      held = [];
      if (batchAdmission !== undefined) {
        let plan;
        try {
          plan = batchAdmission.admit(indices);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (plan.now.length === 0) {
          // nothing has room yet: wait for the first shard that will (not a retry)
          wait = scheduler.schedule(send, Math.min(plan.waitMs, untilExpiry()));
          return;
        }
        sent = plan.now;
        held = plan.later;
      }
      requests += 1;
      const records =
        sent.length === requestEntries.length
          ? requestEntries
          : sent.map((index) => requestEntries[index] as PutRecordsRequestEntry);
      request = sendCommand<PutRecordsOutput>(
        port,
        new PutRecordsCommand({ ...target, Records: records }),
        timeout,
      ).subscribe({ next: onOutput, error: onError });
    }

    if (entries.length === 0) {
      // Kinesis refuses an empty PutRecords; nothing to do is done at once
      finish();
      return undefined;
    }
    send();
    return () => {
      request?.unsubscribe();
      wait?.unsubscribe();
    };
  });
}

/** Two ascending index lists merged into one ascending list (batch order). */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))) {
      out.push(a[i] as number);
      i += 1;
    } else {
      out.push(b[j] as number);
      j += 1;
    }
  }
  return out;
}
