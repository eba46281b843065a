import {
  ListShardsCommand,
  type ListShardsOutput,
  type StartingPosition,
  type SubscribeToShardEvent,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { EMPTY, Observable, Subscription, expand, reduce } from 'rxjs';
import { type BackoffPolicy, DEFAULT_BACKOFF, fullJitterDelay } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import { ShardReadError } from '../client/errors.js';
import { retryWithBackoff } from '../client/retryWithBackoff.js';
import { sendCommand } from '../client/sendCommand.js';
import { type DiscoveredShard, childShardOf } from './DiscoveredShard.js';
import { subscribeToShardEvents } from './efo/subscribeToShardEvents.js';
import type { ShardBatch } from './ShardEvent.js';
import type { ShardReader } from './ShardReader.js';
import { ShardRecordBuilder } from './ShardRecordBuilder.js';
import { fetchReportOf } from './fetchReportOf.js';
import type { StartPosition } from './StartPosition.js';

/** Flink's `scan.shard.discovery.intervalmillis` default: how often a caught-up shard looks for children. */
export const DEFAULT_CLOSED_SHARD_CHECK_MS = 10_000;

/** How `subscribeShard` reads. */
export interface FanOutOptions {
  /** The registered consumer's ARN for a stream (`efoStrategy` resolves these). */
  readonly consumerArnOf: (stream: string) => string;
  /** Retries of SubscribeToShard (Flink `scan.shard.subscribetoshard.*`). */
  readonly backoff?: BackoffPolicy;
  /** Retries of the ListShards that looks for children (Flink `scan.list.shards.*`). */
  readonly listShardsBackoff?: BackoffPolicy;
  /**
   * Once caught up, how often to ask ListShards whether the shard was closed
   * (children exist). Kinesis sends a ChildShards event at a shard's end;
   * some servers (kinesis-local) do not. Default 10,000.
   */
  readonly closedShardCheckMs?: number;
  /** Randomness of the backoff jitter, in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * The enhanced fan-out shard reader: SubscribeToShard with the consumer's
 * ARN, emitting one batch per event (de-aggregated records in sequence
 * order), the same contract as `pollShard`. When a subscription ends (the
 * 5-minute limit) it subscribes again at once, after the last record it
 * emitted (or the continuation sequence number); `ResourceInUseException`
 * (another subscription still open) and retryable errors are retried with
 * full-jitter backoff (`DEFAULT_BACKOFF.subscribeToShard`), the count reset
 * by every event. A shard's end is learnt from the ChildShards event, or,
 * when caught up, from ListShards showing children of the shard (then a new
 * subscription reads what came just before the reshard, up to a quiet
 * event); the last batch then carries `childShards` and the reader completes. While
 * `context.paused` says `true` no further event is pulled.
 *
 * ## Example
 * ```ts
 * import { subscribeShard, shardRecordPrototype } from 'rx-kinesis';
 * subscribeShard({ consumerArnOf: () => consumerArn })(shard, { type: 'TRIM_HORIZON' }, {
 *   client, scheduler: asyncScheduler, recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
 * }).subscribe((batch) => console.log(batch.records.length));
 * ```
 *
 * @param options consumer ARNs, retry policy, closed-shard check interval
 * @returns a `ShardReader`
 */
export function subscribeShard(options: FanOutOptions): ShardReader {
  const policy = options.backoff ?? DEFAULT_BACKOFF.subscribeToShard;
  const listPolicy = options.listShardsBackoff ?? DEFAULT_BACKOFF.listShards;
  const checkEvery = options.closedShardCheckMs ?? DEFAULT_CLOSED_SHARD_CHECK_MS;
  const random = options.random ?? Math.random;

  return (shard, start, context) =>
    new Observable<ShardBatch>((subscriber) => {
      const { client, scheduler } = context;
      const { stream, shardId } = shard;
      const consumerArn = options.consumerArnOf(stream);
      const teardown = new Subscription();
      let session: Subscription | undefined;
      let check: Subscription | undefined;
      let failures = 0;
      let continuation: string | undefined;
      // Children ListShards showed: the shard is closed, but records written just before
      // the reshard may still come (the quiet event that led to the check was sent earlier).
      let closedWith: readonly DiscoveredShard[] | undefined;
      const builder = new ShardRecordBuilder(stream, shardId, context.recordPrototype, start);
      let lastCheck = shard.endingSequenceNumber !== undefined ? -Infinity : scheduler.now();
      let since = scheduler.now();
      let paused = false;
      let parked: (() => void) | undefined;
      const onRetry = context.onRetry;
      const listRetry =
        onRetry === undefined
          ? { random }
          : { random, onRetry: () => onRetry('ListShards', stream, shardId) };

      const fail = (operation: string, error: unknown): void =>
        subscriber.error(new ShardReadError(stream, shardId, operation, error));

      const finish = (childShards: readonly DiscoveredShard[]): void => {
        subscriber.next({ shard, records: [], childShards });
        subscriber.complete();
      };

      // Where the next subscription starts: after what was emitted, never before it.
      const position = (): StartingPosition => {
        if (builder.lastSequenceNumber !== undefined)
          return { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: builder.lastSequenceNumber };
        if (continuation !== undefined && start.type !== 'AT_SEQUENCE_NUMBER')
          return { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: continuation };
        return startingPosition(start);
      };

      const subscribe = (): void => {
        if (subscriber.closed) return;
        session?.unsubscribe();
        since = scheduler.now();
        const current = new Subscription();
        session = current;
        current.add(
          subscribeToShardEvents(
            client,
            { ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: position() },
            () => paused,
            (resume) => (parked = resume),
          ).subscribe({
            next: (event) => received(event),
            error: (error: unknown) => retry(error),
            // The subscription's time is up: go on where it stopped.
            complete: () => later(subscribe, 0),
          }),
        );
      };

      const later = (work: () => void, delay: number): void => {
        const timer = scheduler.schedule(() => {
          teardown.remove(timer);
          work();
        }, delay);
        teardown.add(timer);
      };

      const retry = (error: unknown): void => {
        const name = (error as { name?: unknown } | undefined)?.name;
        const recoverable =
          name === 'ResourceInUseException' || classifyError(error) === 'retryable';
        if (!recoverable || failures >= policy.maxRetries) {
          fail('SubscribeToShard', error);
          return;
        }
        let wait: number;
        try {
          wait = fullJitterDelay(policy, failures, random);
          onRetry?.('SubscribeToShard', stream, shardId);
        } catch (thrown) {
          subscriber.error(thrown);
          return;
        }
        failures += 1;
        later(subscribe, wait);
      };

      const received = (event: SubscribeToShardEvent): void => {
        failures = 0;
        const raws = event.Records ?? [];
        const behind = event.MillisBehindLatest;
        const records = builder.toRecords(raws, behind);
        if (event.ContinuationSequenceNumber !== undefined)
          continuation = event.ContinuationSequenceNumber;
        const now = scheduler.now();
        try {
          context.onFetch?.(fetchReportOf(shard, raws, records.length, behind, now - since, 0));
        } catch (error) {
          // a user hook, called from a plain observer: the error channel, or it would be uncaught
          subscriber.error(error);
          return;
        }
        since = now;
        if (event.ChildShards !== undefined && event.ChildShards.length > 0) {
          subscriber.next({
            shard,
            records,
            ...(behind !== undefined ? { millisBehindLatest: behind } : {}),
            childShards: event.ChildShards.map((child) => childShardOf(stream, child)),
          });
          subscriber.complete();
          return;
        }
        if (records.length > 0 || raws.length > 0) {
          subscriber.next({
            shard,
            records,
            ...(behind !== undefined ? { millisBehindLatest: behind } : {}),
          });
        }
        if (raws.length === 0 && (behind ?? 0) <= 0) {
          // A quiet event of a subscription opened after the shard was seen closed: its end.
          if (closedWith !== undefined) finish(closedWith);
          else if (check === undefined && now - lastCheck >= checkEvery) checkClosed();
        }
      };

      // Caught up and quiet: if the shard has children it is closed and read to its end.
      const checkClosed = (): void => {
        lastCheck = scheduler.now();
        const first = (): Observable<ListShardsOutput> =>
          sendCommand<ListShardsOutput>(
            client,
            new ListShardsCommand({
              StreamName: stream,
              ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: shardId },
            }),
          ).pipe(retryWithBackoff<ListShardsOutput>(listPolicy, listRetry, scheduler));
        check = first()
          .pipe(
            expand((page) =>
              page.NextToken === undefined
                ? EMPTY
                : sendCommand<ListShardsOutput>(
                    client,
                    new ListShardsCommand({ NextToken: page.NextToken }),
                  ).pipe(retryWithBackoff<ListShardsOutput>(listPolicy, listRetry, scheduler)),
            ),
            reduce<ListShardsOutput, DiscoveredShard[]>((children, page) => {
              for (const s of page.Shards ?? []) {
                if (s.ParentShardId === shardId || s.AdjacentParentShardId === shardId) {
                  children.push({
                    stream,
                    shardId: s.ShardId ?? '',
                    parentShardIds: [s.ParentShardId, s.AdjacentParentShardId].filter(
                      (p): p is string => p !== undefined,
                    ),
                    hashKeyRange: {
                      startingHashKey: s.HashKeyRange?.StartingHashKey ?? '0',
                      endingHashKey: s.HashKeyRange?.EndingHashKey ?? '0',
                    },
                  });
                }
              }
              return children;
            }, []),
          )
          .subscribe({
            next: (children) => {
              if (children.length === 0) return;
              // Not finished yet: a fresh subscription (after the last record emitted) gets
              // the records written before the reshard, then a quiet event ends the shard.
              closedWith = children;
              subscribe();
            },
            // A failed check is not a failed read: the next quiet event checks again.
            error: () => undefined,
            complete: () => {
              check = undefined;
            },
          });
        teardown.add(check);
      };

      if (context.paused !== undefined) {
        teardown.add(
          context.paused.subscribe((value) => {
            paused = value;
            if (!value && parked !== undefined) {
              const resume = parked;
              parked = undefined;
              resume();
            }
          }),
        );
      }
      subscribe();
      return () => {
        session?.unsubscribe();
        teardown.unsubscribe();
      };
    });
}

/** The SubscribeToShard starting position of a start position. */
function startingPosition(position: StartPosition): StartingPosition {
  switch (position.type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      return { Type: position.type };
    case 'AT_TIMESTAMP':
      return { Type: 'AT_TIMESTAMP', Timestamp: position.timestamp };
    case 'AFTER_SEQUENCE_NUMBER':
    case 'AT_SEQUENCE_NUMBER':
      return { Type: position.type, SequenceNumber: position.sequenceNumber };
  }
}
