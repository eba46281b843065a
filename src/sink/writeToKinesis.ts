import {
  BehaviorSubject,
  Observable,
  type SchedulerLike,
  asyncScheduler,
  concatMap,
  distinctUntilChanged,
  groupBy,
  identity,
  mergeMap,
  switchMap,
  tap,
} from 'rxjs';
import { DEFAULT_BACKOFF } from '../client/BackoffPolicy.js';
import { createKinesisClient } from '../client/createKinesisClient.js';
import { streamNameOf } from '../client/StreamArn.js';
import { sinkGauges } from '../metrics/sinkGauges.js';
import type { Metric } from '../metrics/Metric.js';
import { aggregateRecords } from './aggregateRecords.js';
import { AckQueue } from './AckQueue.js';
import { type Batch, batchRecords } from './batchRecords.js';
import { InvalidRecordError } from './InvalidRecordError.js';
import { keyLane } from './keyLane.js';
import {
  putRecordsWithRetry,
  type PutRecordsOutcome,
  type PutRecordsRetryOptions,
} from './putRecordsWithRetry.js';
import { RecordExpiredError } from './RecordExpiredError.js';
import { ShardMaps } from './ShardMaps.js';
import { ShardRateLimiter } from './ShardRateLimiter.js';
import { type SinkConfig, resolveSinkConfig } from './SinkConfig.js';
import type { SinkAck, SinkEntry, SinkInput } from './SinkInput.js';
import { toSinkEntry } from './toSinkEntry.js';

/** What a sink has done so far. */
export interface SinkSummary {
  /** User records acknowledged by Kinesis. */
  records: number;
  /** PutRecords calls made. */
  requests: number;
  /** PutRecords calls that were retries (of failed entries or of a failed call). */
  retries: number;
  /** Entries sent again after a failure. */
  retriedRecords: number;
  /** Invalid records handed to `invalidRecords` (only when it is a function). */
  rejected: number;
}

/**
 * The operator form of the sink, with its live state: `paused$` is true
 * while the sink holds `requests.maxBuffered` records or more (give it to
 * `fromKinesis({ paused })` so reading stops while the sink is full), and
 * `summary` counts records, requests and retries.
 */
/**
 * The operator `writeToKinesis` returns. Generic in what flows in: an ack's
 * `value` has the upstream type (`ack.value.source` of a value `{ data,
 * source }` type-checks), not only the config's input type.
 */
export interface KinesisWriter<T> {
  <U extends T>(source: Observable<U>): Observable<SinkAck<U>>;
  readonly paused$: Observable<boolean>;
  readonly summary: Readonly<SinkSummary>;
}

/**
 * Writes every value to Kinesis and emits one acknowledgement per record,
 * in input order, once Kinesis has stored it (and every record before it).
 * The recipe: `toSinkEntry` (validate, key, size once) → optional
 * `aggregateRecords` (KPL) → `batchRecords` (500 records / 5 MiB / flush
 * timeout, per stream) → `putRecordsWithRetry` with at most
 * `requests.maxInflight` requests in flight (per key lane with
 * `ordering: 'per-key'`) → acks released in order by an `AckQueue`.
 * With `recordTtlMs`, a record not stored that long after it came in goes
 * to `invalidRecords` as a `RecordExpiredError` (by default failing the
 * sink); it is released from the ack order without an ack. With
 * `rateLimit`, the stream's shard map is listed (ListShards) before the
 * first request and each request carries only what its shards have room
 * for (`ShardRateLimiter`). With `requestTimeoutMs`, every request is
 * aborted after that long and retried.
 * With `metrics`, it reports `sink.requestsInFlight` and
 * `sink.recordsBuffered` when they change (per request / per batch),
 * `sink.retries` per retried request and `sink.backpressureMs` per pause.
 * Options are decoded at once: bad options throw a `ConfigError` here,
 * before any request. A client made from `region`/`endpoint`/`credentials`
 * is created per subscription and destroyed when it ends.
 *
 * ## Example
 * ```ts
 * import { map } from 'rxjs';
 * import { fromKinesis, writeToKinesis, checkpoints } from 'rx-kinesis';
 * const writer = writeToKinesis({ stream: 'copy', region: 'eu-west-1' });
 * fromKinesis({ stream: 'orders', region: 'eu-west-1', paused: writer.paused$ })
 *   .pipe(writer, map((ack) => ack.value), checkpoints())
 *   .subscribe((state) => save(state));
 * ```
 *
 * @param config sink options (see `SinkConfig`)
 * @param scheduler where flush timeouts and backoff delays run; defaults to `asyncScheduler`
 */
export function writeToKinesis<T extends SinkInput>(
  config: SinkConfig<T>,
  scheduler: SchedulerLike = asyncScheduler,
): KinesisWriter<T> {
  const resolved = resolveSinkConfig(config);
  const full = new BehaviorSubject(false);
  const summary: SinkSummary = {
    records: 0,
    requests: 0,
    retries: 0,
    retriedRecords: 0,
    rejected: 0,
  };
  const ordered = resolved.ordering === 'per-key';
  const lanes = resolved.maxInflight;
  const orderingKey = (e: SinkEntry<T>): string =>
    e.explicitHashKey === undefined ? `p${e.partitionKey}` : `h${e.explicitHashKey}`;
  const { recordTtlMs, rateLimit, requestTimeoutMs } = resolved;
  const baseRetryOptions: PutRecordsRetryOptions = {
    policy: resolved.retry,
    failOnError: resolved.failOnError,
    random: resolved.random,
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(recordTtlMs !== undefined ? { recordTtlMs } : {}),
  };

  const writer = (source: Observable<T>): Observable<SinkAck<T>> =>
    new Observable<SinkAck<T>>((subscriber) => {
      const port = createKinesisClient(resolved.client);
      const ownClient = resolved.client.client === undefined;
      const metrics = resolved.metrics;
      // The recorder is user code called from timers, finalizers and plain observers: a throw
      // fails this sink on its error channel (once), never escapes as an uncaught exception.
      const recorder =
        metrics === undefined
          ? undefined
          : {
              next: (metric: Metric): void => {
                try {
                  metrics.next(metric);
                } catch (error) {
                  subscriber.error(error);
                }
              },
            };
      const gauges = recorder !== undefined ? sinkGauges(recorder, scheduler) : undefined;
      // rateLimit: one shard map per target stream, listed on first use, for this subscription
      const maps =
        rateLimit === undefined
          ? undefined
          : new ShardMaps(
              port,
              {
                backoff: DEFAULT_BACKOFF.listShards,
                random: resolved.random,
                ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
              },
              scheduler,
            );
      const retryOptions: PutRecordsRetryOptions =
        maps === undefined || rateLimit === undefined
          ? baseRetryOptions
          : { ...baseRetryOptions, admission: new ShardRateLimiter(rateLimit, maps, scheduler) };
      // The pause signal is published only when no entry is between its push and its hand-on:
      // told "full" by the push, a source that reacts at once (takeUntil, a pausable source
      // that completes) would complete before the entry went on, and the entry, already
      // counted, would never be sent: the writer completed with it unacknowledged.
      let forwarding = 0;
      let published = false;
      const publish = (): void => {
        if (subscriber.closed) return; // torn down meanwhile: paused$ is no longer ours to set
        const isFull = queue.isFull;
        if (isFull === published) return;
        published = isFull;
        full.next(isFull);
        gauges?.full(isFull);
      };
      const queue = new AckQueue<T>(resolved.maxBuffered, () => {
        if (forwarding === 0) publish();
      });
      const prepare = toSinkEntry(resolved);
      const emit = (ack: SinkAck<T>): void => {
        summary.records += 1;
        subscriber.next(ack);
      };
      // An expired record: to invalidRecords (or the sink fails); released without an ack.
      const expire = (entry: SinkEntry<T>, now: number): boolean => {
        entry.rejected = true;
        const error = new RecordExpiredError(
          streamNameOf(entry.stream),
          now - entry.receivedAt,
          recordTtlMs ?? 0,
          entry.value,
        );
        const handler = resolved.invalidRecords;
        if (handler === 'fail') {
          subscriber.error(error);
          return false;
        }
        summary.rejected += 1;
        try {
          handler(error);
        } catch (thrown) {
          subscriber.error(thrown);
          return false;
        }
        return true;
      };

      const entries = new Observable<SinkEntry<T>>((out) =>
        source.subscribe({
          next: (value) => {
            // a synchronous source goes on after an error until its subscribe returns
            if (out.closed) return;
            let entry: SinkEntry<T>;
            try {
              entry = prepare(value);
            } catch (error) {
              const handler = resolved.invalidRecords;
              if (error instanceof InvalidRecordError && handler !== 'fail') {
                summary.rejected += 1;
                try {
                  handler(error);
                } catch (thrown) {
                  // the error channel, like any operator callback: thrown from here it would
                  // surface later as an uncaught exception while the sink went on as if handled
                  out.error(thrown);
                }
              } else out.error(error);
              return;
            }
            if (recordTtlMs !== undefined) entry.receivedAt = scheduler.now();
            forwarding += 1;
            try {
              queue.push(entry);
              out.next(entry);
            } finally {
              forwarding -= 1;
            }
            if (forwarding === 0) publish();
          },
          error: (error: unknown) => out.error(error),
          complete: () => out.complete(),
        }),
      );

      const putBatch = (
        batch: Batch<SinkEntry<T>>,
      ): Observable<PutRecordsOutcome<SinkEntry<T>>> => {
        const stream = (batch.items[0] as SinkEntry<T>).stream;
        if (gauges === undefined)
          return putRecordsWithRetry(port, stream, batch.items, retryOptions, scheduler);
        const onRetry = (entries: number): void => gauges.retried(stream, entries);
        return gauges.track(
          putRecordsWithRetry(port, stream, batch.items, { ...retryOptions, onRetry }, scheduler),
        );
      };
      // with rateLimit, a stream's first batch waits for its shard map
      const put =
        maps === undefined
          ? putBatch
          : (batch: Batch<SinkEntry<T>>): Observable<PutRecordsOutcome<SinkEntry<T>>> =>
              maps
                .ready((batch.items[0] as SinkEntry<T>).stream)
                .pipe(switchMap(() => putBatch(batch)));

      const subscription = entries
        .pipe(
          resolved.aggregation === undefined
            ? identity
            : aggregateRecords<T>({ ...resolved.aggregation, random: resolved.random }, scheduler),
          batchRecords<SinkEntry<T>>(
            {
              maxRecords: resolved.batchMaxSize,
              maxBytes: resolved.flushBufferSize,
              timeoutMs: resolved.flushBufferTimeoutMs,
              sizeOf: (e) => e.size,
              keyOf: ordered
                ? (e) => `${e.stream}\n${keyLane(orderingKey(e), lanes)}`
                : (e) => e.stream,
              ...(ordered ? { distinctOf: orderingKey } : {}),
            },
            scheduler,
          ),
          gauges === undefined ? identity : tap(() => gauges.buffered(queue.buffered)),
          ordered
            ? (batches) =>
                batches.pipe(
                  // one lane per key hash: batches of a lane go one after another. Grouped by
                  // the lane number alone, not stream and lane: with several target streams
                  // that would allow maxInflight requests in flight per stream.
                  groupBy((batch) => keyLane(orderingKey(batch.items[0] as SinkEntry<T>), lanes)),
                  mergeMap((lane) => lane.pipe(concatMap(put))),
                )
            : mergeMap(put, resolved.maxInflight),
        )
        .subscribe({
          next: (outcome) => {
            summary.requests += outcome.requests;
            summary.retries += outcome.requests - 1;
            summary.retriedRecords += outcome.retriedRecords;
            acknowledge(outcome);
            const expired = outcome.expired;
            if (expired !== undefined) {
              const now = scheduler.now();
              for (const index of expired) {
                const entry = outcome.entries[index] as SinkEntry<T>;
                const members = entry.members ?? [entry];
                for (const member of members) if (!expire(member, now)) return;
              }
            }
            queue.drain(emit);
            gauges?.buffered(queue.buffered);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });

      return () => {
        subscription.unsubscribe();
        maps?.dispose();
        // nothing is held any more: a paused$ left true would stall a source that honours it
        // for good, e.g. when the pipeline is retried after an error while the sink was full
        full.next(false);
        if (ownClient) (port as { destroy?: () => void }).destroy?.();
      };
    });

  // ack.value is the input value itself, so its type is the upstream type
  return Object.assign(writer as <U extends T>(source: Observable<U>) => Observable<SinkAck<U>>, {
    paused$: full.pipe(distinctUntilChanged()),
    summary,
  });
}

// Acks name the stream, never its ARN: the same as a record read by name or by ARN.
function acknowledge<T>(outcome: PutRecordsOutcome<SinkEntry<T>>): void {
  const { entries, shardIds, sequenceNumbers } = outcome;
  if (entries.length === 0) return;
  // one batch, one target stream
  const stream = streamNameOf((entries[0] as SinkEntry<T>).stream);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as SinkEntry<T>;
    const sequenceNumber = sequenceNumbers[i];
    if (sequenceNumber === undefined) continue; // expired: not stored
    const shardId = shardIds[i] as string;
    const members = entry.members;
    if (members === undefined) {
      entry.ack = { stream, shardId, sequenceNumber, value: entry.value };
    } else {
      for (let j = 0; j < members.length; j++) {
        const member = members[j] as SinkEntry<T>;
        member.ack = {
          stream,
          shardId,
          sequenceNumber,
          subSequenceNumber: j,
          value: member.value,
        };
      }
    }
  }
}
