import { defer, throwError, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from '../src/client/retryWithBackoff.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const policy = { base: 100, max: 1000, expConst: 2, maxRetries: 3 };
const throttled = Object.assign(new Error('slow down'), {
  name: 'ProvisionedThroughputExceededException',
});
const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });

describe('retryWithBackoff', () => {
  it('passes an empty source through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(retryWithBackoff(policy))).toBe('|');
    });
  });

  it('passes one value through without delay', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|').pipe(retryWithBackoff(policy))).toBe('-a|');
    });
  });

  it('passes many values through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-c|').pipe(retryWithBackoff(policy))).toBe('-a-b-c|');
    });
  });

  it('retries a retryable error after full-jitter delays base * expConst^n', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      let attempt = 0;
      const source = cold('#', {}, throttled);
      const calls: number[] = [];
      const flaky = defer(() => {
        attempt += 1;
        return attempt <= 2 ? source : of('a');
      });
      // random 0.5: delays 50 (0.5 * 100), then 100 (0.5 * 200)
      expectObservable(
        flaky.pipe(
          retryWithBackoff(policy, {
            random: () => 0.5,
            onRetry: (_e, n, delay) => calls.push(n, delay),
          }),
        ),
      ).toBe('150ms (a|)');
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '50ms (^!)']);
      flush();
      expect(calls).toEqual([0, 50, 1, 100]);
    });
  });

  it('caps the delay at max', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const delays: number[] = [];
      const always = throwError(() => throttled);
      expectObservable(
        always.pipe(
          retryWithBackoff(
            { base: 400, max: 500, expConst: 3, maxRetries: 3 },
            { random: () => 0.999, onRetry: (_e, _n, d) => delays.push(d) },
          ),
        ),
      ).toBe('1397ms #', undefined, throttled);
      flush();
      expect(delays).toEqual([399, 499, 499]);
    });
  });

  it('gives up after maxRetries with the last error (error)', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', {}, throttled);
      expectObservable(source.pipe(retryWithBackoff(policy, { random: () => 0 }))).toBe(
        '#',
        undefined,
        throttled,
      );
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '(^!)', '(^!)', '(^!)']);
    });
  });

  it('does not retry a fatal error', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', {}, denied);
      expectObservable(source.pipe(retryWithBackoff(policy))).toBe('-#', undefined, denied);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('keeps a never-ending source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a--b--').pipe(retryWithBackoff(policy))).toBe('-a--b--');
    });
  });

  it('stops a pending retry when unsubscribed early', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', {}, throttled);
      expectObservable(source.pipe(retryWithBackoff(policy, { random: () => 0.5 })), '^--!').toBe(
        '---',
      );
      // first attempt errs at 1, the retry (50 ms later) never happens
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });
});
