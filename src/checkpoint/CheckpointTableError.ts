import { errorText } from '../client/errors.js';

/**
 * A call to a DynamoDB checkpoint table failed for good (after its retries,
 * or at once for an error that is not retried), or the table is missing and
 * `createTableIfMissing` is false.
 */
export class CheckpointTableError extends Error {
  override readonly name = 'CheckpointTableError';
  constructor(
    readonly tableName: string,
    readonly operation: string,
    override readonly cause: unknown,
    message?: string,
  ) {
    super(message ?? `${operation} on checkpoint table "${tableName}" failed: ${errorText(cause)}`);
  }
}
