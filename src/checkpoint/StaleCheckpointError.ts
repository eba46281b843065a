/**
 * A DynamoDB checkpoint save was refused because another writer saved the
 * same key since this store last loaded or saved it: this store is stale,
 * and its state must not overwrite the newer one. Load again (a new
 * subscription of `fromKinesis({ checkpointStore })` does) to go on from
 * the stored state. `expectedCounter` is the `checkpointCounter` this store
 * wrote against (0: none stored); `storedCounter` the one found, when known.
 */
export class StaleCheckpointError extends Error {
  override readonly name = 'StaleCheckpointError';
  constructor(
    readonly tableName: string,
    readonly key: string,
    readonly expectedCounter: number,
    readonly storedCounter?: number,
  ) {
    super(
      `DynamoDB table ${tableName}, key ${key}: another writer saved a newer checkpoint state` +
        ` (expected counter ${expectedCounter}, found ${storedCounter ?? 'a different one'}): this state was not saved`,
    );
  }
}
