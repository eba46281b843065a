import { ListShardsCommand, type ListShardsOutput, type Shard } from '@aws-sdk/client-kinesis';
import {
  EMPTY,
  type Observable,
  type SchedulerLike,
  type Subscription,
  catchError,
  defer,
  expand,
  finalize,
  map,
  of,
  reduce,
  share,
  tap,
  throwError,
} from 'rxjs';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import { KinesisCallError, StreamNotFoundError } from '../client/errors.js';
import type { KinesisPort } from '../client/KinesisPort.js';
import { retryWithBackoff } from '../client/retryWithBackoff.js';
import { type RequestTimeout, sendCommand } from '../client/sendCommand.js';
import { streamTarget } from '../client/StreamArn.js';
import { ShardMap } from './ShardMap.js';

/** How often a shard map in use is listed again (scheduler time). */
export const SHARD_MAP_REFRESH_MS = 30_000;
/** A shard id the map does not know lists the stream again, at most this often. */
export const SHARD_MAP_MIN_REFRESH_MS = 1_000;

/** How `ShardMaps` lists shards. */
export interface ShardMapsOptions {
  /** Retry policy of ListShards. */
  readonly backoff: BackoffPolicy;
  /** Per-request timeout of ListShards; none when undefined. */
  readonly requestTimeoutMs?: number;
  /** Randomness of the backoff jitter, in [0, 1). */
  readonly random?: () => number;
}

/**
 * The shard maps of the streams a sink writes to, listed with ListShards
 * (open shards only, every page) on first use, listed again in the
 * background when a map in use is older than `SHARD_MAP_REFRESH_MS` or when
 * a put lands on a shard the map does not know (a reshard), and kept until
 * `dispose()`. A failed first listing fails `ready` (`StreamNotFoundError`,
 * or `KinesisCallError` after the ListShards retries); a failed refresh
 * keeps the old map.
 *
 * ## Example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * import { ShardMaps, DEFAULT_BACKOFF } from 'rx-kinesis';
 * const maps = new ShardMaps(client, { backoff: DEFAULT_BACKOFF.listShards }, asyncScheduler);
 * maps.ready('orders').subscribe((map) => console.log(map.size, 'open shards'));
 * ```
 */
export class ShardMaps {
  private readonly maps = new Map<string, ShardMap>();
  private readonly loading = new Map<string, Observable<ShardMap>>();
  private readonly refreshing = new Map<string, Subscription>();
  private disposed = false;

  constructor(
    private readonly port: KinesisPort,
    private readonly options: ShardMapsOptions,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** The stream's map, listed first if it has none yet; emits once and completes. */
  ready(stream: string): Observable<ShardMap> {
    return defer(() => {
      const known = this.maps.get(stream);
      return known !== undefined ? of(known) : this.load(stream);
    });
  }

  /** The stream's map as it is now (listed again in the background when stale). */
  current(stream: string): ShardMap | undefined {
    const known = this.maps.get(stream);
    if (known !== undefined && this.scheduler.now() - known.listedAt >= SHARD_MAP_REFRESH_MS) {
      this.refresh(stream);
    }
    return known;
  }

  /** A put stored a record on `shardId`: a shard the map does not know means a reshard. */
  stored(stream: string, shardId: string): void {
    const known = this.maps.get(stream);
    if (
      known !== undefined &&
      !known.has(shardId) &&
      this.scheduler.now() - known.listedAt >= SHARD_MAP_MIN_REFRESH_MS
    ) {
      this.refresh(stream);
    }
  }

  /** The map no longer covers this hash (a gap after a reshard): list again. */
  missed(stream: string): void {
    this.stored(stream, '');
  }

  /** Stops every listing in flight; later calls list nothing in the background. */
  dispose(): void {
    this.disposed = true;
    for (const subscription of this.refreshing.values()) subscription.unsubscribe();
    this.refreshing.clear();
  }

  private refresh(stream: string): void {
    if (this.disposed || this.loading.has(stream)) return;
    let done = false;
    const subscription = this.load(stream).subscribe({
      // a failed refresh keeps the old map; the next use past the interval tries again
      error: () => {
        done = true;
        this.refreshing.delete(stream);
      },
      complete: () => {
        done = true;
        this.refreshing.delete(stream);
      },
    });
    if (!done) this.refreshing.set(stream, subscription);
  }

  private load(stream: string): Observable<ShardMap> {
    let listing = this.loading.get(stream);
    if (listing === undefined) {
      listing = listOpenShards(this.port, stream, this.options, this.scheduler).pipe(
        map((shards) => new ShardMap(shards, this.scheduler.now())),
        tap((listed) => this.maps.set(stream, listed)),
        finalize(() => this.loading.delete(stream)),
        share(),
      );
      this.loading.set(stream, listing);
    }
    return listing;
  }
}

function listOpenShards(
  port: KinesisPort,
  stream: string,
  options: ShardMapsOptions,
  scheduler: SchedulerLike,
): Observable<Shard[]> {
  const timeout: RequestTimeout | undefined =
    options.requestTimeoutMs === undefined
      ? undefined
      : { ms: options.requestTimeoutMs, scheduler };
  const retry = options.random !== undefined ? { random: options.random } : {};
  const send = (input: object): Observable<ListShardsOutput> =>
    sendCommand<ListShardsOutput>(port, new ListShardsCommand(input), timeout).pipe(
      retryWithBackoff<ListShardsOutput>(options.backoff, retry, scheduler),
    );
  // A request with NextToken must not name the stream nor carry a filter (Kinesis refuses it).
  return defer(() => send({ ...streamTarget(stream), ShardFilter: { Type: 'AT_LATEST' } })).pipe(
    expand((page) => (page.NextToken !== undefined ? send({ NextToken: page.NextToken }) : EMPTY)),
    reduce<ListShardsOutput, Shard[]>((shards, page) => {
      for (const shard of page.Shards ?? []) shards.push(shard);
      return shards;
    }, []),
    catchError((error: unknown) =>
      throwError(() =>
        classifyError(error) === 'not-found'
          ? new StreamNotFoundError(stream, error)
          : new KinesisCallError('ListShards', stream, error),
      ),
    ),
  );
}
