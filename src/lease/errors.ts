import { errorText } from '../client/errors.js';

/**
 * This worker lost a shard's lease while reading it: another worker took or
 * stole it, or it expired by this worker's clock (renewals failing for a
 * failover time). The reader of that shard stopped at once. Progress after
 * the last successful save is not in the table; the new owner reads on from
 * the lease's checkpoint, so those records are read again there (at least
 * once), never lost. Routine during rebalancing: reported once per loss on
 * `LeaseCoordinator.losses`, never as an error of the reading or of `save`.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly tableName: string,
    readonly stream: string,
    readonly shardId: string,
    readonly workerId: string,
  ) {
    super(
      `worker "${workerId}" lost the lease of stream "${stream}" shard "${shardId}" in table "${tableName}": it stopped reading there, and its progress since the last saved checkpoint is read again by the new owner`,
    );
  }
}

/**
 * A call to the lease table failed for good (after its retries, or at once
 * for an error that is not retried), or the table is missing and
 * `createTableIfMissing` is off.
 */
export class LeaseTableError extends Error {
  override readonly name = 'LeaseTableError';
  constructor(
    readonly tableName: string,
    readonly operation: string,
    override readonly cause: unknown,
    message?: string,
  ) {
    super(message ?? `${operation} on lease table "${tableName}" failed: ${errorText(cause)}`);
  }
}
