/** What a failed Kinesis call rejects with: shaped as the AWS SDK's service exceptions. */
export interface KinesisServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: {
    readonly httpStatusCode: number;
    readonly requestId?: string;
    /** Set when the request was signed with a skewed clock that is now corrected: retry it. */
    clockSkewCorrected?: boolean;
  };
}

/**
 * The error of a Kinesis answer with an HTTP error status, named as the AWS
 * SDK names it (the `__type` of the JSON body, or the `x-amzn-ErrorType`
 * header, without its namespace), so `classifyError` treats it the same:
 * `ProvisionedThroughputExceededException` retryable, `ExpiredIteratorException`
 * renewed, any 5xx retryable.
 *
 * @param status the HTTP status
 * @param errorType the `x-amzn-ErrorType` header, when there is one
 * @param text the body
 * @param requestId the `x-amzn-RequestId` header, when there is one
 */
export function kinesisServiceError(
  status: number,
  errorType: string | null,
  text: string,
  requestId: string | undefined,
): KinesisServiceError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's HTML page): named by the status below
  }
  const raw =
    errorType ??
    (typeof body['__type'] === 'string'
      ? body['__type']
      : typeof body['code'] === 'string'
        ? body['code']
        : undefined);
  // "com.amazon.coral.service#ThrottlingException:http://…" → "ThrottlingException"; no type at
  // all (an empty answer) is "Unknown", as the SDK names it: a 5xx is retryable by its status
  const name = raw?.split(':')[0]?.split('#').pop() || 'Unknown';
  const message =
    typeof body['message'] === 'string'
      ? body['message']
      : typeof body['Message'] === 'string'
        ? body['Message']
        : 'UnknownError';
  const error = new Error(message) as Error & {
    $fault: 'client' | 'server';
    $metadata: KinesisServiceError['$metadata'];
  };
  error.name = name;
  error.$fault = status >= 500 ? 'server' : 'client';
  error.$metadata = { httpStatusCode: status, ...(requestId !== undefined ? { requestId } : {}) };
  return error;
}
