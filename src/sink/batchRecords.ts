import {
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
  asyncScheduler,
} from 'rxjs';

/** Limits of one batch, and how to size and group its items. */
export interface BatchOptions<T> {
  /** A batch closes when it holds this many items (PutRecords: 500). */
  readonly maxRecords: number;
  /** A batch closes before an item would take it over this many bytes (PutRecords: 5 MiB). */
  readonly maxBytes: number;
  /** A batch closes this long after its first item arrived (Flink `sink.flush-buffer.timeout`). */
  readonly timeoutMs: number;
  /** Bytes of one item; called once per item. */
  readonly sizeOf: (item: T) => number;
  /** Items with different keys go to different batches (e.g. one per target stream). */
  readonly keyOf?: (item: T) => string;
  /** When set, a batch never holds two items with the same distinct key: the second closes it. */
  readonly distinctOf?: (item: T) => string;
}

/** Items that go out together, with their total size. */
export interface Batch<T> {
  readonly key: string;
  readonly items: T[];
  readonly bytes: number;
}

interface OpenBatch<T> {
  readonly key: string;
  readonly items: T[];
  bytes: number;
  readonly timer: Subscription;
  readonly distinct: Set<string> | undefined;
}

/**
 * Groups items into batches that close at `maxRecords` items, at
 * `maxBytes` (an item that would not fit closes the batch and starts the
 * next), or `timeoutMs` after their first item, on the scheduler. One batch
 * is open per key. Completion flushes every open batch, then completes. Each
 * item is sized once; a batch's size is a running sum, never re-summed.
 *
 * ## Example
 * ```ts
 * import { batchRecords } from 'rx-kinesis';
 * entries.pipe(
 *   batchRecords({ maxRecords: 500, maxBytes: 5 * 1024 * 1024, timeoutMs: 5000,
 *     sizeOf: (e) => e.size, keyOf: (e) => e.stream }),
 * );
 * ```
 *
 * @param options limits, sizing and grouping
 * @param scheduler where the flush timeouts run; defaults to `asyncScheduler`
 */
export function batchRecords<T>(
  options: BatchOptions<T>,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, Batch<T>> {
  const { maxRecords, maxBytes, timeoutMs, sizeOf, keyOf, distinctOf } = options;
  return (source) =>
    new Observable<Batch<T>>((subscriber) => {
      const open = new Map<string, OpenBatch<T>>();

      const close = (batch: OpenBatch<T>): void => {
        open.delete(batch.key);
        batch.timer.unsubscribe();
        subscriber.next({ key: batch.key, items: batch.items, bytes: batch.bytes });
      };

      const start = (key: string): OpenBatch<T> => {
        const batch: OpenBatch<T> = {
          key,
          items: [],
          bytes: 0,
          timer: scheduler.schedule(() => {
            if (open.get(key) === batch) close(batch);
          }, timeoutMs),
          distinct: distinctOf === undefined ? undefined : new Set<string>(),
        };
        open.set(key, batch);
        return batch;
      };

      const subscription = source.subscribe({
        next: (item) => {
          const size = sizeOf(item);
          const key = keyOf === undefined ? '' : keyOf(item);
          const distinct = distinctOf === undefined ? undefined : distinctOf(item);
          let batch = open.get(key);
          if (
            batch !== undefined &&
            (batch.bytes + size > maxBytes ||
              (distinct !== undefined && batch.distinct?.has(distinct) === true))
          ) {
            close(batch);
            batch = undefined;
          }
          batch ??= start(key);
          batch.items.push(item);
          batch.bytes += size;
          if (distinct !== undefined) batch.distinct?.add(distinct);
          if (batch.items.length >= maxRecords || batch.bytes >= maxBytes) close(batch);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          for (const batch of [...open.values()]) close(batch);
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        for (const batch of open.values()) batch.timer.unsubscribe();
        open.clear();
      };
    });
}
