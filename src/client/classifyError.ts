/** How a failed Kinesis call should be handled. */
export type ErrorClass = 'retryable' | 'expired-iterator' | 'not-found' | 'fatal';

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'KMSThrottlingException',
  'InternalFailure',
  'InternalFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'RequestTimeoutError',
  'TimeoutError',
  'NetworkingError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'SocketError',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; clockSkewCorrected?: unknown };
  $retryable?: unknown;
}

/**
 * Classifies an error thrown by a Kinesis call, by its `name` (and HTTP
 * status / network code, or the SDK's `clockSkewCorrected` flag), never by its message text.
 *
 * ## Example
 * ```ts
 * import { classifyError } from 'rx-kinesis';
 * classifyError({ name: 'ProvisionedThroughputExceededException' }); // 'retryable'
 * ```
 */
export function classifyError(error: unknown): ErrorClass {
  if (typeof error !== 'object' || error === null) return 'fatal';
  const e = error as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'ExpiredIteratorException') return 'expired-iterator';
  if (name === 'ResourceNotFoundException') return 'not-found';
  if (name === 'AbortError') return 'fatal';
  if (RETRYABLE_NAMES.has(name)) return 'retryable';
  // signed with a skewed clock that the client has since corrected (the SDK's flag): sent again,
  // it is signed in time
  if (e.$metadata?.clockSkewCorrected === true) return 'retryable';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return 'retryable';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return 'retryable';
  if (e.$retryable !== undefined && e.$retryable !== null) return 'retryable';
  return 'fatal';
}
