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

      // Closing a batch emits it downstream, and what runs there (a synchronous port, an ack
      // that un-pauses the source) may bring the source's next items in before `add` has
      // finished: they would open a batch that `add` then replaced (lost with its timer) or
      // jump ahead of the item being added. So items arriving while one is being handled wait
      // here and are added after it, in order (and a completion waits for them too).
      let busy = false;
      let completing = false;
      const waiting: T[] = [];
      const serially = (work: () => void): void => {
        busy = true;
        try {
          work();
          for (let i = 0; i < waiting.length && !subscriber.closed; i++) add(waiting[i] as T);
        } finally {
          waiting.length = 0;
          busy = false;
        }
        if (completing) finish();
      };

      const finish = (): void => {
        for (const batch of [...open.values()]) close(batch);
        subscriber.complete();
      };

      const start = (key: string): OpenBatch<T> => {
        const batch: OpenBatch<T> = {
          key,
          items: [],
          bytes: 0,
          timer: scheduler.schedule(() => {
            if (open.get(key) === batch) serially(() => close(batch));
          }, timeoutMs),
          distinct: distinctOf === undefined ? undefined : new Set<string>(),
        };
        open.set(key, batch);
        return batch;
      };

      function add(item: T): void {
        let size: number;
        let key: string;
        let distinct: string | undefined;
        try {
          size = sizeOf(item);
          key = keyOf === undefined ? '' : keyOf(item);
          distinct = distinctOf === undefined ? undefined : distinctOf(item);
        } catch (error) {
          // the error channel, as in `map`: from a plain observer it would be uncaught
          subscriber.error(error);
          return;
        }
        let batch = open.get(key);
        if (
          batch !== undefined &&
          (batch.bytes + size > maxBytes ||
            (distinct !== undefined && batch.distinct?.has(distinct) === true))
        ) {
          close(batch);
          // torn down by what the batch did downstream: open no new batch (nor its timer)
          if (subscriber.closed) return;
          batch = undefined;
        }
        batch ??= start(key);
        batch.items.push(item);
        batch.bytes += size;
        if (distinct !== undefined) batch.distinct?.add(distinct);
        if (batch.items.length >= maxRecords || batch.bytes >= maxBytes) close(batch);
      }

      const subscription = source.subscribe({
        next: (item) => {
          // a synchronous source goes on after an error until its subscribe returns
          if (subscriber.closed) return;
          if (busy) waiting.push(item);
          else serially(() => add(item));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (busy) completing = true;
          else finish();
        },
      });

      return () => {
        subscription.unsubscribe();
        for (const batch of open.values()) batch.timer.unsubscribe();
        open.clear();
      };
    });
}
