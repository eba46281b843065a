/**
 * A checkpoint state is too large for its store: a DynamoDB item holds at
 * most 400 KB. Nothing was written; the stored state is unchanged.
 */
export class CheckpointTooLargeError extends Error {
  override readonly name = 'CheckpointTooLargeError';
  constructor(
    /** The store, as it describes itself. */
    readonly store: string,
    /** The size the item would have, in bytes. */
    readonly bytes: number,
    /** The store's limit, in bytes. */
    readonly limit: number,
  ) {
    super(
      `${store}: the checkpoint state takes ${bytes} bytes, over the limit of ${limit}: ` +
        'use a file store, or read fewer shards per state (leases keep one item per shard)',
    );
  }
}
