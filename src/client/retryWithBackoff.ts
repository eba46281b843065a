import {
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  asyncScheduler,
  retry,
  throwError,
  timer,
} from 'rxjs';
import { type BackoffPolicy, fullJitterDelay } from './BackoffPolicy.js';
import { classifyError } from './classifyError.js';

export interface RetryOptions {
  /** Which errors to retry; default: those `classifyError` calls retryable. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** Source of randomness for the jitter, in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Called before each retry with the attempt number (0-based) and delay. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Re-subscribes to the source after a retryable error, waiting a full-jitter
 * exponential delay on `scheduler`, at most `policy.maxRetries` times; other
 * errors, and the last one, go down the error channel unchanged.
 *
 * ## Example
 * ```ts
 * import { defer } from 'rxjs';
 * import { retryWithBackoff, DEFAULT_BACKOFF } from 'rx-kinesis';
 * defer(() => client.send(cmd)).pipe(retryWithBackoff(DEFAULT_BACKOFF.getRecords));
 * ```
 *
 * @param policy base, max, exponent and retry count
 * @param options which errors to retry, randomness, a retry hook
 * @param scheduler where the delays run; defaults to `asyncScheduler`
 */
export function retryWithBackoff<T>(
  policy: BackoffPolicy,
  options: RetryOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  const shouldRetry = options.shouldRetry ?? ((e: unknown) => classifyError(e) === 'retryable');
  const random = options.random ?? Math.random;
  return retry<T>({
    count: policy.maxRetries,
    resetOnSuccess: true,
    delay: (error: unknown, retryCount: number) => {
      if (!shouldRetry(error)) return throwError(() => error);
      const wait = fullJitterDelay(policy, retryCount - 1, random);
      options.onRetry?.(error, retryCount - 1, wait);
      return timer(wait, scheduler);
    },
  });
}
