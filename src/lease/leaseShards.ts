import { type OperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { DiscoveredShard } from '../source/DiscoveredShard.js';
import type { LeaseCoordinator, LeaseShardsOptions } from './LeaseCoordinator.js';

/**
 * Lease-based shard assignment, in place of `assignShards`: discovered
 * shards in, the shards this worker holds a lease of out, as they are
 * taken. Read them with `coordinator.leasedReader(reader)` so that a lost
 * lease stops its reader at once. See `LeaseCoordinator.leaseShards`.
 *
 * ## Example
 * ```ts
 * import { discoverShards, leaseShards, dynamoDBLeases } from 'rx-kinesis';
 * const leases = dynamoDBLeases({ tableName: 'app', workerId: 'w1', dynamodb: {} });
 * discoverShards(client, ['orders']).pipe(
 *   leaseShards(leases, { streams: ['orders'], starts: { orders: 'TRIM_HORIZON' } }),
 * );
 * ```
 *
 * @param coordinator the lease coordinator (`dynamoDBLeases`)
 * @param options the streams read and their pinned starts
 * @param scheduler where renewals and takes run; defaults to `asyncScheduler`
 * @returns an operator from discovered shards to held shards
 */
export function leaseShards(
  coordinator: LeaseCoordinator,
  options: LeaseShardsOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<DiscoveredShard, DiscoveredShard> {
  return coordinator.leaseShards(options, scheduler);
}
