// Barrel of src/lease: re-exports only.
export { DEFAULT_FAILOVER_TIME_MS, LeaseSettings, dynamoDBLeases } from './dynamoDBLeases.js';
export type { HeldShard, LeaseCoordinator, LeaseShardsOptions } from './LeaseCoordinator.js';
export { isLeaseCoordinator } from './LeaseCoordinator.js';
export { leaseShards } from './leaseShards.js';
export { LeaseLostError, LeaseTableError } from './errors.js';
export { LEASE_ATTRIBUTES, leaseFromItem, leaseToItem } from './Lease.js';
export type { CheckpointSentinel, Lease } from './Lease.js';
export { planTakes, isExpired } from './planTakes.js';
export type { LeaseView, TakeInput } from './planTakes.js';
export { DEFAULT_LEASE_TABLE_BACKOFF } from './LeaseTable.js';
