import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../src/metrics/Metric.js';
import { sinkGauges } from '../src/metrics/sinkGauges.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** `name=value@at` of each metric, for short assertions. */
function recorder(): { metrics: string[]; next(metric: Metric): void } {
  const metrics: string[] = [];
  return {
    metrics,
    next: (m) => metrics.push(`${m.name.slice(5)}=${m.value}@${m.at}`),
  };
}

describe('sinkGauges.track (requests in flight)', () => {
  it('empty: a request that completes at once counts up and down', () => {
    const rec = recorder();
    testScheduler().run(({ cold, expectObservable }) => {
      const gauges = sinkGauges(rec, testScheduler());
      expectObservable(gauges.track(cold('|'))).toBe('|');
    });
    expect(rec.metrics).toEqual(['requestsInFlight=1@0', 'requestsInFlight=0@0']);
  });

  it('one and many: overlapping requests are counted while they last', () => {
    const rec = recorder();
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const gauges = sinkGauges(rec, scheduler);
      expectObservable(gauges.track(cold('5ms a|'))).toBe('5ms a|');
      expectObservable(gauges.track(cold('2ms a 1ms b 5ms |'))).toBe('2ms a 1ms b 5ms |');
    });
    expect(rec.metrics).toEqual([
      'requestsInFlight=1@0',
      'requestsInFlight=2@0',
      'requestsInFlight=1@6',
      'requestsInFlight=0@10',
    ]);
  });

  it('error and early unsubscribe end the request too; a never-ending one stays counted', () => {
    const rec = recorder();
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const gauges = sinkGauges(rec, scheduler);
      expectObservable(gauges.track(cold('3ms #'))).toBe('3ms #');
      expectObservable(gauges.track(cold('-')), '^ 7ms !').toBe('-');
      expectObservable(gauges.track(cold('-'))).toBe('-');
    });
    expect(rec.metrics).toEqual([
      'requestsInFlight=1@0',
      'requestsInFlight=2@0',
      'requestsInFlight=3@0',
      'requestsInFlight=2@3',
      'requestsInFlight=1@8', // '^' takes a frame, then 7 ms
    ]);
  });
});

describe('sinkGauges.full / buffered / retried', () => {
  it('reports each pause when it ends, buffered counts only when they change, retried entries', () => {
    const rec = recorder();
    const scheduler = testScheduler();
    scheduler.run(() => {
      const gauges = sinkGauges(rec, scheduler);
      gauges.full(false); // no pause began: nothing
      scheduler.schedule(() => gauges.full(true), 10);
      scheduler.schedule(() => gauges.full(false), 35);
      scheduler.schedule(() => gauges.buffered(3), 40);
      scheduler.schedule(() => gauges.buffered(3), 41);
      scheduler.schedule(() => gauges.buffered(0), 42);
      scheduler.schedule(() => gauges.retried('out', 7), 50);
    });
    expect(rec.metrics).toEqual([
      'backpressureMs=25@35',
      'recordsBuffered=3@40',
      'recordsBuffered=0@42',
      'retries=7@50',
    ]);
  });
});
