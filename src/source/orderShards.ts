import { Observable, type OperatorFunction, Subscription } from 'rxjs';
import type { DiscoveredShard } from './DiscoveredShard.js';
import { shardIdNumber } from './shardIdNumber.js';

/** What `orderShards` needs to know besides how to read a shard. */
export interface OrderShardsOptions<T> {
  /**
   * The children a value announces (the `ChildShards` of a closed shard's
   * last batch): they are known at once, without waiting for discovery.
   */
  readonly childrenOf?: (value: T) => readonly DiscoveredShard[] | undefined;
  /** Shards that need no reading (finished per checkpoint): finished as soon as they are seen. */
  readonly isFinished?: (shard: DiscoveredShard) => boolean;
  /** Which announced children this reader takes (the shard assignment). Default: all. */
  readonly accepts?: (shard: DiscoveredShard) => boolean;
}

type ShardState = 'waiting' | 'reading' | 'finished';

/**
 * Parents first: reads each shard (with `read`) only once all its parents
 * are read to their end, so per-partition-key order holds across split and
 * merge. A shard's reading is over when `read(shard)` completes. A parent
 * this operator never saw counts as finished: it expired past retention, or
 * it belongs to another reader; but not while a known, unfinished, older
 * shard overlapping the child's hash range may still announce it (a
 * grandchild merged with a child). Children announced by a value (see
 * `childrenOf`) start as soon as their parents end. Shards are read
 * concurrently otherwise; each shard is read once, however often it is seen.
 *
 * Completes when the shards complete and every read shard completed; errors
 * with the first error of a shard's reading.
 *
 * ## Example
 * ```ts
 * import { discoverShards, orderShards, pollShard } from 'rx-kinesis';
 * discoverShards(client, ['orders']).pipe(
 *   orderShards((shard) => pollShard()(shard, { type: 'TRIM_HORIZON' }, context), {
 *     childrenOf: (batch) => batch.childShards,
 *   }),
 * );
 * ```
 *
 * @param read reads one shard to its end (completes) or forever
 * @param options children announcements, checkpoint-finished shards, assignment
 * @returns an operator from discovered shards to everything their readings emit
 */
export function orderShards<T>(
  read: (shard: DiscoveredShard) => Observable<T>,
  options: OrderShardsOptions<T> = {},
): OperatorFunction<DiscoveredShard, T> {
  const { childrenOf, isFinished, accepts } = options;
  return (source) =>
    new Observable<T>((subscriber) => {
      const states = new Map<string, ShardState>();
      const known = new Map<string, DiscoveredShard>();
      const waiting: DiscoveredShard[] = [];
      const readings = new Subscription();
      let active = 0;
      let sourceDone = false;
      let releasing = false;
      let releaseAgain = false;

      const keyOf = (stream: string, shardId: string): string => `${stream}/${shardId}`;
      const parentsDone = (shard: DiscoveredShard): boolean => {
        let unknownParent = false;
        for (const parent of shard.parentShardIds) {
          const state = states.get(keyOf(shard.stream, parent));
          if (state === undefined) unknownParent = true;
          else if (state !== 'finished') return false;
        }
        return !unknownParent || !mayAnnounceParentOf(shard);
      };
      // A parent never seen counts as finished (expired, or another reader's), except
      // while it may still be announced: a known, unfinished, older shard whose hash
      // range overlaps the child's may end with the missing parent among its children
      // (split 0 -> 1, 2; split 2 -> 3, 4; merge 1, 3 -> 5: when 1 announces 5, shard 3
      // is not known until 2 ends). Older only, so a child never waits for its own
      // descendants (no cycle): shard ids grow with every reshard, as Flink assumes too.
      const mayAnnounceParentOf = (child: DiscoveredShard): boolean => {
        for (const [key, other] of known) {
          if (
            other.stream === child.stream &&
            states.get(key) !== 'finished' &&
            isOlder(other.shardId, child.shardId) &&
            overlaps(other.hashKeyRange, child.hashKeyRange)
          ) {
            return true;
          }
        }
        return false;
      };

      const maybeComplete = (): void => {
        if (sourceDone && active === 0 && !releasing) subscriber.complete();
      };

      // Starts every waiting shard whose parents are done. A reading may end
      // synchronously (and free more children), so this loops instead of recursing.
      const release = (): void => {
        if (releasing) {
          releaseAgain = true;
          return;
        }
        releasing = true;
        do {
          releaseAgain = false;
          for (let i = 0; i < waiting.length && !subscriber.closed;) {
            const shard = waiting[i] as DiscoveredShard;
            if (parentsDone(shard)) {
              waiting.splice(i, 1);
              start(shard);
            } else {
              i += 1;
            }
          }
        } while (releaseAgain && !subscriber.closed);
        releasing = false;
        maybeComplete();
      };

      const offer = (shard: DiscoveredShard): void => {
        const key = keyOf(shard.stream, shard.shardId);
        if (states.has(key) || subscriber.closed) return;
        let done: boolean;
        try {
          done = isFinished?.(shard) === true;
        } catch (error) {
          // the error channel, as in `map`: from a plain observer it would be uncaught
          subscriber.error(error);
          return;
        }
        if (done) {
          states.set(key, 'finished');
        } else {
          known.set(key, shard);
          states.set(key, 'waiting');
          waiting.push(shard);
        }
        release();
      };

      const start = (shard: DiscoveredShard): void => {
        const key = keyOf(shard.stream, shard.shardId);
        states.set(key, 'reading');
        active += 1;
        let reading: Observable<T>;
        try {
          reading = read(shard);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        readings.add(
          reading.subscribe({
            next: (value) => {
              if (subscriber.closed) return;
              subscriber.next(value);
              let accepted: DiscoveredShard[];
              try {
                const children = childrenOf?.(value);
                if (children === undefined || children.length === 0) return;
                accepted = children.filter((child) => accepts?.(child) !== false);
              } catch (error) {
                subscriber.error(error);
                return;
              }
              for (const child of accepted) offer(child);
            },
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              states.set(key, 'finished');
              known.delete(key);
              active -= 1;
              release();
            },
          }),
        );
      };

      const upstream = source.subscribe({
        next: offer,
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          maybeComplete();
        },
      });
      return () => {
        upstream.unsubscribe();
        readings.unsubscribe();
      };
    });
}

/** True when shard id `a` was created before `b` (ids carry a growing number: `shardIdNumber`). */
function isOlder(a: string, b: string): boolean {
  const x = shardIdNumber(a);
  const y = shardIdNumber(b);
  // Ids without a number cannot be ordered: keep "never seen means finished".
  if (x === undefined || y === undefined) return false;
  return x < y;
}

/** True when two hash-key ranges share a key; false when either is not a number. */
function overlaps(a: DiscoveredShard['hashKeyRange'], b: DiscoveredShard['hashKeyRange']): boolean {
  try {
    return (
      BigInt(a.startingHashKey) <= BigInt(b.endingHashKey) &&
      BigInt(b.startingHashKey) <= BigInt(a.endingHashKey)
    );
  } catch {
    return false;
  }
}
