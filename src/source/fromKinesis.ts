import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { KinesisRecord } from '../record.js';
import { flattenRecords } from './flattenRecords.js';
import { kinesisBatches } from './kinesisBatches.js';
import type { SourceConfig } from './SourceConfig.js';

/**
 * Reads Kinesis streams as an Observable of records: shards discovered and
 * re-discovered, assigned, read parents first, polled (or fanned out), KPL
 * records de-aggregated, starting where `checkpoint` left off or at
 * `initialPosition`. Per shard, records come in sequence order; per
 * partition key, in write order across split and merge.
 *
 * ## Example
 * ```ts
 * import { fromKinesis, checkpoints } from 'rx-kinesis';
 * fromKinesis({ stream: 'orders', region: 'eu-west-1', initialPosition: 'TRIM_HORIZON' })
 *   .subscribe((record) => console.log(record.partitionKey, new TextDecoder().decode(record.data)));
 * ```
 *
 * @param config the source config (throws `ConfigError` at once when wrong)
 * @param scheduler where every timer runs; defaults to `asyncScheduler`
 * @returns the records
 */
export function fromKinesis(
  config: SourceConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<KinesisRecord> {
  return kinesisBatches(config, scheduler).pipe(flattenRecords());
}
