import { errorText } from '../client/errors.js';

/** Saving a checkpoint state failed; `cause` is what the store threw. */
export class CheckpointSaveError extends Error {
  override readonly name = 'CheckpointSaveError';
  constructor(
    /** The store, as it describes itself (`file /path`, `DynamoDB table t, key k`). */
    readonly store: string,
    override readonly cause: unknown,
  ) {
    super(`${store}: saving the checkpoint state failed: ${errorText(cause)}`);
  }
}
