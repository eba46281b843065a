import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PinnedStart } from '../checkpoint/CheckpointState.js';

/** The KCL's checkpoint sentinels; any other checkpoint is a sequence number. */
export type CheckpointSentinel = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP' | 'SHARD_END';

/**
 * One row of the lease table, as the KCL's `DynamoDBLeaseSerializer` writes
 * it, plus two attributes of ours (`rxKinesisStream`, `rxKinesisPinnedStart`)
 * that KCL tooling ignores.
 */
export interface Lease {
  /** The shard id (a single-stream KCL application's key), or `stream:shardId` when several streams share the table. */
  readonly leaseKey: string;
  readonly leaseOwner?: string;
  readonly leaseCounter: number;
  /** A sequence number or a `CheckpointSentinel`. */
  readonly checkpoint: string;
  readonly checkpointSubSequenceNumber: number;
  readonly ownerSwitchesSinceCheckpoint: number;
  readonly parentShardIds: readonly string[];
  readonly childShardIds?: readonly string[];
  readonly startingHashKey?: string;
  readonly endingHashKey?: string;
  /** Ours: the stream of the shard (absent in a KCL row: the coordinator's only stream). */
  readonly stream?: string;
  /** Ours: the stream's pinned start, where a lease with a sentinel checkpoint starts. */
  readonly pinnedStart?: PinnedStart;
}

/** The attribute names, exactly as the KCL spells them (and ours). */
export const LEASE_ATTRIBUTES = {
  leaseKey: 'leaseKey',
  leaseOwner: 'leaseOwner',
  leaseCounter: 'leaseCounter',
  checkpoint: 'checkpoint',
  checkpointSubSequenceNumber: 'checkpointSubSequenceNumber',
  ownerSwitchesSinceCheckpoint: 'ownerSwitchesSinceCheckpoint',
  parentShardId: 'parentShardId',
  childShardIds: 'childShardIds',
  startingHashKey: 'startingHashKey',
  endingHashKey: 'endingHashKey',
  stream: 'rxKinesisStream',
  pinnedStart: 'rxKinesisPinnedStart',
} as const;

/** True when a checkpoint is `SHARD_END`: the shard was read to its end. */
export const isShardEnd = (lease: Pick<Lease, 'checkpoint'>): boolean =>
  lease.checkpoint === 'SHARD_END';

/** True when a checkpoint is a position (a sequence number), not a sentinel. */
export const isSequenceNumber = (checkpoint: string): boolean => /^\d+$/.test(checkpoint);

/** A pinned start as our extra attribute stores it: `TRIM_HORIZON` or an ISO-8601 timestamp. */
const pinnedStartText = (start: PinnedStart): string =>
  start === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : start.atTimestamp;

const pinnedStartOf = (text: string): PinnedStart =>
  text === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : { atTimestamp: text };

/** The KCL sentinel for a pinned start (KCL keeps the timestamp in its config, we keep it in ours). */
export const sentinelOf = (start: PinnedStart): CheckpointSentinel =>
  start === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'AT_TIMESTAMP';

/** A lease as a DynamoDB item, with the KCL's attribute names and types. */
export function leaseToItem(lease: Lease): Record<string, AttributeValue> {
  const a = LEASE_ATTRIBUTES;
  const item: Record<string, AttributeValue> = {
    [a.leaseKey]: { S: lease.leaseKey },
    [a.leaseCounter]: { N: String(lease.leaseCounter) },
    [a.checkpoint]: { S: lease.checkpoint },
    [a.checkpointSubSequenceNumber]: { N: String(lease.checkpointSubSequenceNumber) },
    [a.ownerSwitchesSinceCheckpoint]: { N: String(lease.ownerSwitchesSinceCheckpoint) },
  };
  if (lease.leaseOwner !== undefined) item[a.leaseOwner] = { S: lease.leaseOwner };
  // DynamoDB has no empty sets: the KCL leaves the attribute out.
  if (lease.parentShardIds.length > 0) item[a.parentShardId] = { SS: [...lease.parentShardIds] };
  if (lease.childShardIds !== undefined && lease.childShardIds.length > 0) {
    item[a.childShardIds] = { SS: [...lease.childShardIds] };
  }
  if (lease.startingHashKey !== undefined) item[a.startingHashKey] = { S: lease.startingHashKey };
  if (lease.endingHashKey !== undefined) item[a.endingHashKey] = { S: lease.endingHashKey };
  if (lease.stream !== undefined) item[a.stream] = { S: lease.stream };
  if (lease.pinnedStart !== undefined) {
    item[a.pinnedStart] = { S: pinnedStartText(lease.pinnedStart) };
  }
  return item;
}

const text = (value: AttributeValue | undefined): string | undefined =>
  value !== undefined && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
const number = (value: AttributeValue | undefined): number | undefined => {
  if (value === undefined || !('N' in value) || typeof value.N !== 'string') return undefined;
  const n = Number(value.N);
  return Number.isFinite(n) ? n : undefined;
};
// The KCL writes string sets; a hand-made row may carry a single string.
const strings = (value: AttributeValue | undefined): string[] | undefined => {
  if (value === undefined) return undefined;
  if ('SS' in value && Array.isArray(value.SS)) return [...value.SS];
  if ('L' in value && Array.isArray(value.L)) {
    return value.L.map(text).filter((s): s is string => s !== undefined);
  }
  const single = text(value);
  return single !== undefined ? [single] : undefined;
};

/**
 * A DynamoDB item as a lease, or `undefined` when it is not one (no
 * `leaseKey`). Attributes a KCL row may lack get the KCL's defaults
 * (counter 0, checkpoint `TRIM_HORIZON`, sub-sequence 0).
 */
export function leaseFromItem(item: Record<string, AttributeValue>): Lease | undefined {
  const a = LEASE_ATTRIBUTES;
  const leaseKey = text(item[a.leaseKey]);
  if (leaseKey === undefined) return undefined;
  const leaseOwner = text(item[a.leaseOwner]);
  const childShardIds = strings(item[a.childShardIds]);
  const startingHashKey = text(item[a.startingHashKey]);
  const endingHashKey = text(item[a.endingHashKey]);
  const stream = text(item[a.stream]);
  const pinned = text(item[a.pinnedStart]);
  return {
    leaseKey,
    ...(leaseOwner !== undefined ? { leaseOwner } : {}),
    leaseCounter: number(item[a.leaseCounter]) ?? 0,
    checkpoint: text(item[a.checkpoint]) ?? 'TRIM_HORIZON',
    checkpointSubSequenceNumber: number(item[a.checkpointSubSequenceNumber]) ?? 0,
    ownerSwitchesSinceCheckpoint: number(item[a.ownerSwitchesSinceCheckpoint]) ?? 0,
    parentShardIds: strings(item[a.parentShardId]) ?? [],
    ...(childShardIds !== undefined ? { childShardIds } : {}),
    ...(startingHashKey !== undefined ? { startingHashKey } : {}),
    ...(endingHashKey !== undefined ? { endingHashKey } : {}),
    ...(stream !== undefined ? { stream } : {}),
    ...(pinned !== undefined ? { pinnedStart: pinnedStartOf(pinned) } : {}),
  };
}
