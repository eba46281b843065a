/** One entry Kinesis refused in a PutRecords response. */
export interface PutRecordsFailure {
  readonly partitionKey: string;
  readonly errorCode: string;
  readonly errorMessage: string | undefined;
}

/**
 * Entries of a PutRecords request failed for good: after the retry limit,
 * at once with `failOnError`, or with an error code that no retry can fix.
 * Names the stream, the attempts made and the failed entries.
 */
export class PutRecordsError extends Error {
  override readonly name = 'PutRecordsError';
  constructor(
    readonly stream: string,
    readonly attempts: number,
    readonly failures: readonly PutRecordsFailure[],
  ) {
    const first = failures[0];
    super(
      `PutRecords to stream "${stream}" failed for ${failures.length} record(s) after ` +
        `${attempts} attempt(s)` +
        (first === undefined
          ? ''
          : `: ${first.errorCode}${first.errorMessage === undefined ? '' : ` (${first.errorMessage})`}`),
    );
  }
}
