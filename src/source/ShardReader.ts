import type { Observable, SchedulerLike } from 'rxjs';
import type { KinesisPort } from '../client/KinesisPort.js';
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
}

/**
 * Reads one shard from a start position: emits its batches in sequence
 * order (de-aggregated), and, for a closed shard, a last batch carrying
 * `childShards`, then completes. Unsubscribing aborts in-flight requests.
 * `pollShard` (GetRecords) and `subscribeShard` (enhanced fan-out) are the
 * two built-in readers; `fromKinesis` takes either.
 */
export type ShardReader = (
  shard: DiscoveredShard,
  start: StartPosition,
  context: ShardReaderContext,
) => Observable<ShardBatch>;
