import {
  GetRecordsCommand,
  type GetRecordsOutput,
  GetShardIteratorCommand,
  type GetShardIteratorOutput,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { Observable, type Observer, Subscription } from 'rxjs';
import type { KinesisRecord, ShardRecord } from '../record.js';
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import { ShardReadError } from '../client/errors.js';
import { type RetryOptions, retryWithBackoff } from '../client/retryWithBackoff.js';
import { sendCommand } from '../client/sendCommand.js';
import { adaptiveBatchSize } from './adaptiveReads.js';
import { childShardOf } from './DiscoveredShard.js';
import type { ShardBatch } from './ShardEvent.js';
import type { ShardReader } from './ShardReader.js';
import { ShardRecordBuilder } from './ShardRecordBuilder.js';
import { fetchReportOf } from './fetchReportOf.js';
import { gateSdkAttempts } from './gateSdkAttempts.js';
import { READ_BYTES_PER_SECOND, callGate } from './callGate.js';
import { throughCallGate } from './throughCallGate.js';
import type { StartPosition } from './StartPosition.js';

/** Flink's `scan.shard.getrecords.maxrecordcount` default (also the Kinesis maximum). */
export const DEFAULT_MAX_RECORDS = 10_000;
/** Flink's `scan.shard.getrecords.intervalmillis` default. */
export const DEFAULT_POLL_INTERVAL_MS = 200;
export { MIN_GET_RECORDS_SPACING_MS } from './callGate.js';

/** How `pollShard` polls. */
export interface PollingOptions {
  /** `Limit` of one GetRecords (1–10,000). Default 10,000. */
  readonly maxRecords?: number;
  /** Wait after a fetch that found the shard caught up. Default 200 ms. */
  readonly intervalMs?: number;
  /** Retry policies; default `DEFAULT_BACKOFF.getRecords` / `.getShardIterator`. */
  readonly backoff?: {
    readonly getRecords?: BackoffPolicy;
    readonly getShardIterator?: BackoffPolicy;
  };
  /**
   * Adaptive reads (Flink `scan.shard.adaptivereads`): after each fetch the
   * next `Limit` aims at the 2 MiB/s per-shard read limit, from the average
   * record size and the loop time (latency + wait) of that fetch
   * (`adaptiveBatchSize`), never above `maxRecords`. Default false.
   */
  readonly adaptive?: boolean;
  /** Randomness of the backoff jitter, in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /**
   * The per-shard call limits of the service: GetRecords calls start at
   * least `spacingMs` apart, at most `perSecond` in any second (`callGate`).
   * Default: Kinesis's, 200 ms and 5.
   */
  readonly callLimits?: { readonly spacingMs: number; readonly perSecond: number };
}

/**
 * Builds one shard's records from the raw records of each GetRecords, and
 * remembers the sequence number of the last raw record read (where an
 * expired iterator resumes). `ShardRecordBuilder` is the Kinesis one.
 */
export interface ShardRecordsBuilder<R extends ShardRecord> {
  toRecords(raws: readonly _Record[], millisBehindLatest: number | undefined): R[];
  readonly lastSequenceNumber: string | undefined;
}

/** Makes the records builder of one shard's reading (see `ShardRecordsBuilder`). */
export type ShardRecordsFactory<R extends ShardRecord> = (
  stream: string,
  shardId: string,
  recordPrototype: object,
  start: StartPosition,
) => ShardRecordsBuilder<R>;

const kinesisRecords: ShardRecordsFactory<KinesisRecord> = (stream, shardId, prototype, start) =>
  new ShardRecordBuilder(stream, shardId, prototype, start);

/**
 * The polling shard reader: GetShardIterator at the start position, then
 * GetRecords in a loop. While the shard is behind (a full batch, or
 * `MillisBehindLatest > 0`) it fetches again without waiting, but every
 * GetRecords attempt goes through the shard's call gate (`callGate`:
 * at least 200 ms apart, at most 5 in any sliding second — first calls,
 * retries after throttling, calls after an expired iterator, and the SDK's
 * own retries of a client passed in alike); once caught up it waits `intervalMs`. It emits one batch per
 * GetRecords (de-aggregated records in sequence order, possibly none) and,
 * for a closed shard, a last batch with its `childShards`, then completes.
 *
 * Throttling, limits, 5xx and network errors are retried with full-jitter
 * backoff; an expired iterator is replaced by one after the last record
 * emitted; a shard that no longer exists completes (it counts as finished);
 * anything else errors with `ShardReadError` naming stream and shard.
 * While `context.paused` says `true` no new GetRecords starts. With
 * `adaptive`, each shard's `Limit` follows `adaptiveBatchSize` after every
 * fetch (at most `maxRecords`).
 *
 * ## Example
 * ```ts
 * import { pollShard, shardRecordPrototype } from 'rx-kinesis';
 * pollShard({ maxRecords: 1000 })(shard, { type: 'TRIM_HORIZON' }, {
 *   client, scheduler: asyncScheduler, recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
 * }).subscribe((batch) => console.log(batch.records.length));
 * ```
 *
 * @param options max records, interval, retry policies
 * @returns a `ShardReader`
 */
export function pollShard(options?: PollingOptions): ShardReader;
/**
 * The polling shard reader over another record type: the same loop, with
 * `records` building the records (the DynamoDB Streams source uses it).
 */
export function pollShard<R extends ShardRecord>(
  options: PollingOptions & { readonly records: ShardRecordsFactory<R> },
): ShardReader<R>;
export function pollShard<R extends ShardRecord>(
  options: PollingOptions & { readonly records?: ShardRecordsFactory<R> } = {},
): ShardReader<R> {
  const recordsOf = options.records ?? (kinesisRecords as unknown as ShardRecordsFactory<R>);
  const limits = options.callLimits;
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const recordsPolicy = options.backoff?.getRecords ?? DEFAULT_BACKOFF.getRecords;
  const iteratorPolicy = options.backoff?.getShardIterator ?? DEFAULT_BACKOFF.getShardIterator;
  const random: RetryOptions = options.random !== undefined ? { random: options.random } : {};
  const adaptive = options.adaptive === true;

  return (shard, start, context) =>
    new Observable<ShardBatch<R>>((subscriber) => {
      const { client, scheduler, recordPrototype } = context;
      const { stream, shardId } = shard;
      const onRetry = context.onRetry;
      const retryOptions = (operation: string): RetryOptions =>
        onRetry === undefined
          ? random
          : { ...random, onRetry: () => onRetry(operation, stream, shardId) };
      const iteratorRetry = retryOptions('GetShardIterator');
      const recordsRetry = retryOptions('GetRecords');
      // GetRecords `Limit`: `maxRecords`, or per fetch with `adaptive`.
      let limit = maxRecords;
      const teardown = new Subscription();
      let step: Subscription | undefined;
      let iterator: string | undefined;
      const builder = recordsOf(stream, shardId, recordPrototype, start);
      const gate =
        limits === undefined
          ? callGate(scheduler)
          : callGate(scheduler, limits.spacingMs, limits.perSecond);
      let calledAt = scheduler.now();
      let readyAt = scheduler.now();
      let sleepSince = scheduler.now();
      let paused = false;
      let parked = false;

      // The one step in flight (a call or a wait). A step may finish synchronously (the
      // fake answers at once) and start the next: `step` is set before subscribing so
      // the newest step is always the one kept, and finished steps are not retained.
      const run = <T>(work: Observable<T>, observer: Partial<Observer<T>>): void => {
        const previous = step;
        const current = new Subscription();
        step = current;
        previous?.unsubscribe();
        current.add(work.subscribe(observer));
      };
      const fail = (operation: string, error: unknown): void =>
        subscriber.error(new ShardReadError(stream, shardId, operation, error));

      const getIterator = (position: StartPosition): void => {
        run(
          sendCommand<GetShardIteratorOutput>(
            client,
            new GetShardIteratorCommand({
              StreamName: stream,
              ShardId: shardId,
              ...iteratorInput(position),
            }),
          ).pipe(
            retryWithBackoff<GetShardIteratorOutput>(iteratorPolicy, iteratorRetry, scheduler),
          ),
          {
            next: (output) => {
              iterator = output.ShardIterator;
              if (iterator === undefined) subscriber.complete();
              else scheduleFetch();
            },
            error: (error: unknown) => {
              if (classifyError(error) === 'not-found') subscriber.complete();
              else fail('GetShardIterator', error);
            },
          },
        );
      };
      const scheduleFetch = (): void => {
        const delay = Math.max(readyAt - scheduler.now(), gate.wait());
        if (delay <= 0) {
          fetch();
          return;
        }
        const previous = step;
        step = scheduler.schedule(fetch, delay);
        previous?.unsubscribe();
      };

      // One GetRecords; each attempt (our retries, and the SDK's own ones) waits for its slot.
      const getRecords = (shardIterator: string, Limit: number): Observable<GetRecordsOutput> =>
        throughCallGate(
          gate,
          () => {
            calledAt = scheduler.now();
            return sendCommand<GetRecordsOutput>(
              client,
              gateSdkAttempts(
                new GetRecordsCommand({ ShardIterator: shardIterator, Limit }),
                gate,
                scheduler,
              ),
            );
          },
          scheduler,
        ).pipe(retryWithBackoff<GetRecordsOutput>(recordsPolicy, recordsRetry, scheduler));

      const fetch = (): void => {
        if (subscriber.closed) return;
        if (paused) {
          parked = true;
          return;
        }
        const shardIterator = iterator as string;
        const sleepMs = scheduler.now() - sleepSince;
        const used = limit;
        run(getRecords(shardIterator, used), {
          next: (output) => received(output, calledAt, sleepMs, used),
          error: (error: unknown) => {
            switch (classifyError(error)) {
              case 'expired-iterator':
                getIterator(
                  builder.lastSequenceNumber !== undefined
                    ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: builder.lastSequenceNumber }
                    : start,
                );
                return;
              case 'not-found':
                subscriber.complete();
                return;
              default:
                fail('GetRecords', error);
            }
          },
        });
      };

      const received = (
        output: GetRecordsOutput,
        calledAt: number,
        sleepMs: number,
        used: number,
      ): void => {
        const raws = output.Records ?? [];
        const behind = output.MillisBehindLatest;
        let records: R[];
        try {
          records = builder.toRecords(raws, behind);
        } catch (error) {
          // a builder may run user code (DynamoDB Streams' wrapNumbers): the error channel, as in `map`
          subscriber.error(error);
          return;
        }
        const next = output.NextShardIterator;
        const now = scheduler.now();
        const report = fetchReportOf(shard, raws, records.length, behind, now - calledAt, sleepMs);
        try {
          context.onFetch?.(report);
        } catch (error) {
          // a user hook, called from a plain observer: the error channel, or it would be uncaught
          subscriber.error(error);
          return;
        }
        if (next === undefined || next === null) {
          const childShards = (output.ChildShards ?? []).map((child) =>
            childShardOf(stream, child),
          );
          subscriber.next({
            shard,
            records,
            ...(behind !== undefined ? { millisBehindLatest: behind } : {}),
            childShards,
          });
          subscriber.complete();
          return;
        }
        subscriber.next({
          shard,
          records,
          ...(behind !== undefined ? { millisBehindLatest: behind } : {}),
        });
        iterator = next;
        if (adaptive) {
          const adapted = adaptiveBatchSize(
            { records: raws.length, bytes: report.bytes, loopMs: now - calledAt + sleepMs },
            limit,
          );
          limit = adapted < maxRecords ? adapted : maxRecords;
        }
        const caughtUp = raws.length < used && (behind === undefined || behind <= 0);
        // the bytes just read use the shard's 2 MiB/s: calling before they are paid for is throttled
        const readBudgetEnd = calledAt + Math.ceil((report.bytes * 1000) / READ_BYTES_PER_SECOND);
        readyAt = Math.max(caughtUp ? now + intervalMs : now, readBudgetEnd);
        sleepSince = now;
        scheduleFetch();
      };

      if (context.paused !== undefined) {
        teardown.add(
          context.paused.subscribe((value) => {
            paused = value;
            if (!value && parked) {
              parked = false;
              scheduleFetch();
            }
          }),
        );
      }
      getIterator(start);
      return () => {
        step?.unsubscribe();
        teardown.unsubscribe();
      };
    });
}

/** The GetShardIterator fields of a start position. */
function iteratorInput(position: StartPosition): {
  ShardIteratorType: StartPosition['type'];
  StartingSequenceNumber?: string;
  Timestamp?: Date;
} {
  switch (position.type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      return { ShardIteratorType: position.type };
    case 'AT_TIMESTAMP':
      return { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: position.timestamp };
    case 'AFTER_SEQUENCE_NUMBER':
    case 'AT_SEQUENCE_NUMBER':
      return { ShardIteratorType: position.type, StartingSequenceNumber: position.sequenceNumber };
  }
}
