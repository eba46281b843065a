import type { Observable, SchedulerLike } from 'rxjs';
import type { KinesisPort } from '../client/KinesisPort.js';
import type { KinesisRecord, ShardRecord } from '../record.js';
import type { DiscoveredShard } from './DiscoveredShard.js';
import type { ShardBatch } from './ShardEvent.js';
import type { StartPosition } from './StartPosition.js';

/** What every shard reader (polling, enhanced fan-out) is given besides the shard. */
export interface ShardReaderContext {
  readonly client: KinesisPort;
  /** Records built by the reader get this prototype (see `shardContext.ts`). */
  readonly recordPrototype: object;
  /**
   * While the latest value is `true` the reader issues no new fetch (sink
   * backpressure, watermark alignment); it resumes when it turns `false`.
   */
  readonly paused?: Observable<boolean>;
  readonly scheduler: SchedulerLike;
  /** Called once per fetch (GetRecords call or EFO event) with what it brought; feeds metrics. */
  readonly onFetch?: (report: FetchReport) => void;
  /**
   * Called before each retry of a call the reader makes (throttling, 5xx,
   * network), with the API's name (`GetRecords`, `GetShardIterator`,
   * `ListShards`, ...); feeds the `source.retries` metric.
   */
  readonly onRetry?: (operation: string, stream: string, shardId: string) => void;
}

/** What one fetch of one shard brought and cost. */
export interface FetchReport {
  readonly stream: string;
  readonly shardId: string;
  readonly records: number;
  readonly bytes: number;
  readonly millisBehindLatest?: number;
  /** Time the request took, by the scheduler's clock. */
  readonly latencyMs: number;
  /** Time waited before this fetch (interval, backoff or pause). */
  readonly sleepMs: number;
}

/**
 * Reads one shard from a start position: emits its batches in sequence
 * order (de-aggregated), and, for a closed shard, a last batch carrying
 * `childShards`, then completes. Unsubscribing aborts in-flight requests.
 * `pollShard` (GetRecords) and `subscribeShard` (enhanced fan-out) are the
 * two built-in readers; `fromKinesis` takes either.
 */
export type ShardReader<R extends ShardRecord = KinesisRecord> = (
  shard: DiscoveredShard,
  start: StartPosition,
  context: ShardReaderContext,
) => Observable<ShardBatch<R>>;

/**
 * How shards are read for a whole subscription: polling or enhanced fan-out.
 * `use` sets up what the strategy needs (EFO registers its consumer), hands
 * `body` the shard reader, and tears down after (EFO deregisters under LAZY).
 */
export interface ReaderStrategy {
  use<T>(
    streams: readonly string[],
    client: KinesisPort,
    scheduler: SchedulerLike,
    body: (reader: ShardReader) => Observable<T>,
  ): Observable<T>;
}
