import { errorText } from '../client/errors.js';

/**
 * A checkpoint could not be written because this worker no longer holds the
 * shard's lease (another worker took or stole it, or it expired). The
 * progress after the last successful save is not in the table; the new owner
 * reads on from the lease's checkpoint, so those records are read again
 * there (at least once), never lost. Raised once per loss by
 * `LeaseCoordinator.save`.
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
      `worker "${workerId}" no longer holds the lease of stream "${stream}" shard "${shardId}" in table "${tableName}": its checkpoint was not written`,
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
