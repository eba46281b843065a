import { classifyError } from '../client/classifyError.js';

// DynamoDB's own names for throttling and transient failures, beside the generic ones.
const DYNAMODB_RETRYABLE = new Set([
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
  'TransactionConflictException',
]);

/**
 * True for a DynamoDB error worth retrying with backoff: throttling, 5xx,
 * network errors. A failed condition (`ConditionalCheckFailedException`) is
 * an answer, never retried.
 */
export function isRetryableDynamoDBError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'ConditionalCheckFailedException') return false;
  return classifyError(error) === 'retryable' || DYNAMODB_RETRYABLE.has(String(name));
}
