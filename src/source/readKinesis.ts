import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import { flattenBatches } from './flattenBatches.js';
import { kinesisBatches } from './kinesisBatches.js';
import type { KinesisEvent } from './ShardEvent.js';
import type { SourceConfig } from './SourceConfig.js';

/**
 * Reads Kinesis streams as records interleaved, in order, with shard
 * lifecycle events (`shardStarted` with the pinned start and parents,
 * `shardFinished` with the children). `checkpoints()` over it records
 * finished shards exactly; use `fromKinesis` when only records matter.
 *
 * ## Example
 * ```ts
 * import { readKinesis, checkpoints } from 'rx-kinesis';
 * readKinesis({ stream: 'orders', region: 'eu-west-1', initialPosition: 'TRIM_HORIZON' })
 *   .pipe(checkpoints())
 *   .subscribe((state) => save(state));
 * ```
 *
 * @param config the source config (throws `ConfigError` at once when wrong)
 * @param scheduler where every timer runs; defaults to `asyncScheduler`
 * @returns records and shard events
 */
export function readKinesis(
  config: SourceConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<KinesisEvent> {
  return kinesisBatches(config, scheduler).pipe(flattenBatches());
}
