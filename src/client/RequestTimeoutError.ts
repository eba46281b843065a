/**
 * A request had no answer within its timeout (`requestTimeoutMs`) and was
 * aborted. Retryable (`classifyError` says so): it is retried under the
 * call's retry policy like a throttled or 5xx call; past the retry limit it
 * is the `cause` of the call's error.
 */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} had no answer within ${timeoutMs} ms and was aborted`);
  }
}
