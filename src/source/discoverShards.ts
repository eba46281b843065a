import {
  ListShardsCommand,
  type ListShardsCommandInput,
  type ListShardsOutput,
  type Shard,
} from '@aws-sdk/client-kinesis';
import {
  EMPTY,
  type Observable,
  type SchedulerLike,
  asyncScheduler,
  catchError,
  defer,
  expand,
  merge,
  mergeMap,
  reduce,
  repeat,
  throwError,
  timer,
} from 'rxjs';
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import { KinesisCallError, StreamNotFoundError } from '../client/errors.js';
import type { KinesisPort } from '../client/KinesisPort.js';
import { retryWithBackoff } from '../client/retryWithBackoff.js';
import { sendCommand } from '../client/sendCommand.js';
import type { DiscoveredShard } from './DiscoveredShard.js';
import { shardIdNumber } from './shardIdNumber.js';

/** Flink's `scan.shard.discovery.intervalmillis` default. */
export const DEFAULT_DISCOVERY_INTERVAL_MS = 10_000;

/** How `discoverShards` lists shards. */
export interface DiscoverShardsOptions {
  /** Time between the end of one listing and the start of the next. Default 10,000 ms. */
  readonly intervalMs?: number;
  /** `MaxResults` of one ListShards page (1–10,000). Default 1,000. */
  readonly pageSize?: number;
  /** Retry policy of ListShards. Default `DEFAULT_BACKOFF.listShards`. */
  readonly backoff?: BackoffPolicy;
  /** Randomness of the backoff jitter, in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Called before each retry of ListShards, with the stream; feeds the `source.retries` metric. */
  readonly onRetry?: (stream: string) => void;
}

/**
 * Discovers the shards of one or more streams: lists every shard with
 * ListShards (all pages), then every `intervalMs` only the shards after the
 * newest one seen (`ShardFilter: { Type: 'AFTER_SHARD_ID' }`: shard ids grow
 * with every reshard, so a 5,000-shard stream is not listed again in full),
 * and emits each shard the first time it is seen (a server that ignores the
 * filter costs a full listing, never a duplicate). An expired NextToken
 * (`ExpiredNextTokenException`) restarts the listing after the last shard it
 * got, at most `backoff.maxRetries` times per listing. Discovery announces new
 * shards only: readers learn that a shard closed from the shard itself
 * (GetRecords' ChildShards, EFO's own closed-shard check). Within one listing parents come before their
 * children, so an ordering step downstream always knows a parent before its
 * child. Never completes; a stream that does not exist fails with
 * `StreamNotFoundError`, other errors (after retries) with `KinesisCallError`.
 *
 * ## Example
 * ```ts
 * import { discoverShards } from 'rx-kinesis';
 * discoverShards(client, ['orders', 'payments'], { intervalMs: 30_000 })
 *   .subscribe((shard) => console.log(shard.stream, shard.shardId));
 * ```
 *
 * @param client the Kinesis port
 * @param streams stream names
 * @param options interval, page size, retry policy
 * @param scheduler where the interval and backoff timers run
 * @returns every shard of the streams, each once, as they appear
 */
export function discoverShards(
  client: KinesisPort,
  streams: readonly string[],
  options: DiscoverShardsOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<DiscoveredShard> {
  return merge(...streams.map((stream) => discoverStream(client, stream, options, scheduler)));
}

function discoverStream(
  client: KinesisPort,
  stream: string,
  options: DiscoverShardsOptions,
  scheduler: SchedulerLike,
): Observable<DiscoveredShard> {
  const intervalMs = options.intervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS;
  return defer(() => {
    const seen = new Set<string>();
    // The newest shard seen: later listings ask only for shards after it.
    let newest: string | undefined;
    return defer(() => listShards(client, stream, newest, options, scheduler)).pipe(
      repeat({ delay: () => timer(intervalMs, scheduler) }),
      mergeMap((shards) => {
        // A server that ignores ShardFilter (kinesalite) lists every shard again: dedupe.
        const fresh = shards.filter((shard) => !seen.has(shard.shardId));
        for (const shard of fresh) {
          seen.add(shard.shardId);
          if (newest === undefined || isAfter(shard.shardId, newest)) newest = shard.shardId;
        }
        return parentsFirst(fresh);
      }),
    );
  });
}

/**
 * One listing of a stream's shards, page after page: every shard, or with
 * `after` only those after it (`ShardFilter` `AFTER_SHARD_ID`; shard ids grow
 * with every reshard, so new shards are always after the newest one seen).
 * An expired NextToken restarts the listing after the last shard it got.
 */
function listShards(
  client: KinesisPort,
  stream: string,
  after: string | undefined,
  options: DiscoverShardsOptions,
  scheduler: SchedulerLike,
): Observable<DiscoveredShard[]> {
  const policy = options.backoff ?? DEFAULT_BACKOFF.listShards;
  const onRetry = options.onRetry;
  const retryOptions = {
    ...(options.random !== undefined ? { random: options.random } : {}),
    ...(onRetry !== undefined ? { onRetry: () => onRetry(stream) } : {}),
  };
  const MaxResults = options.pageSize ?? 1000;
  let last = after;
  let restarts = 0;
  const send = (input: ListShardsCommandInput): Observable<ListShardsOutput> =>
    sendCommand<ListShardsOutput>(client, new ListShardsCommand(input)).pipe(
      retryWithBackoff<ListShardsOutput>(policy, retryOptions, scheduler),
    );
  const first = (): Observable<ListShardsOutput> =>
    send({
      StreamName: stream,
      MaxResults,
      ...(last !== undefined ? { ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: last } } : {}),
    });
  // A request with NextToken must not name the stream nor carry a filter (Kinesis refuses it).
  const next = (token: string): Observable<ListShardsOutput> =>
    send({ NextToken: token, MaxResults }).pipe(
      catchError((error: unknown) => {
        if (!isExpiredToken(error) || restarts >= policy.maxRetries) throw error;
        restarts += 1;
        return first();
      }),
    );
  return defer(first).pipe(
    expand((output) => (output.NextToken !== undefined ? next(output.NextToken) : EMPTY)),
    reduce<ListShardsOutput, DiscoveredShard[]>((list, output) => {
      for (const shard of output.Shards ?? []) {
        const found = toDiscoveredShard(stream, shard);
        list.push(found);
        if (last === undefined || isAfter(found.shardId, last)) last = found.shardId;
      }
      return list;
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

function isExpiredToken(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ExpiredNextTokenException';
}

/** True when shard id `a` comes after `b` (ids carry a growing number: `shardIdNumber`). */
function isAfter(a: string, b: string): boolean {
  const x = shardIdNumber(a);
  const y = shardIdNumber(b);
  if (x === undefined || y === undefined) return a > b;
  return x > y;
}

/** A ListShards entry as a `DiscoveredShard`. */
export function toDiscoveredShard(stream: string, shard: Shard): DiscoveredShard {
  const parentShardIds: string[] = [];
  if (shard.ParentShardId !== undefined) parentShardIds.push(shard.ParentShardId);
  if (shard.AdjacentParentShardId !== undefined) parentShardIds.push(shard.AdjacentParentShardId);
  const ending = shard.SequenceNumberRange?.EndingSequenceNumber;
  return {
    stream,
    shardId: shard.ShardId ?? '',
    parentShardIds,
    hashKeyRange: {
      startingHashKey: shard.HashKeyRange?.StartingHashKey ?? '0',
      endingHashKey: shard.HashKeyRange?.EndingHashKey ?? '0',
    },
    ...(ending !== undefined ? { endingSequenceNumber: ending } : {}),
  };
}

/** The shards in listing order, except that a parent in the list comes before its children. */
function parentsFirst(shards: DiscoveredShard[]): DiscoveredShard[] {
  const byId = new Map(shards.map((shard) => [shard.shardId, shard]));
  const placed = new Set<string>();
  const ordered: DiscoveredShard[] = [];
  const place = (shard: DiscoveredShard): void => {
    if (placed.has(shard.shardId)) return;
    placed.add(shard.shardId);
    for (const parent of shard.parentShardIds) {
      const known = byId.get(parent);
      if (known !== undefined) place(known);
    }
    ordered.push(shard);
  };
  for (const shard of shards) place(shard);
  return ordered;
}
