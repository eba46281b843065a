import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { kinesisMetrics } from '../src/metrics/kinesisMetrics.js';
import { logMetrics, type MetricSummary } from '../src/metrics/logMetrics.js';
import type { Metric } from '../src/metrics/Metric.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const m = (value: number, shardId = 'shard-1'): Metric => ({
  name: 'source.millisBehindLatest',
  value,
  stream: 's',
  shardId,
  at: 0,
});
const summary = (values: number[], shardId = 'shard-1'): MetricSummary => ({
  name: 'source.millisBehindLatest',
  stream: 's',
  shardId,
  count: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  min: Math.min(...values),
  max: Math.max(...values),
  last: values[values.length - 1]!,
});

describe('logMetrics', () => {
  it('empty: logs nothing and completes', () => {
    const lines: string[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold<Metric>('|').pipe(logMetrics({ intervalMs: 10, log: (l) => lines.push(l) })),
      ).toBe('|');
    });
    expect(lines).toEqual([]);
  });

  it('one: flushed on completion', () => {
    const lines: string[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold<Metric>('a|', { a: m(5) }).pipe(
          logMetrics({ intervalMs: 10, log: (l) => lines.push(l) }),
        ),
      ).toBe('-(x|)', { x: [summary([5])] });
    });
    expect(lines).toEqual(['source.millisBehindLatest s/shard-1 n=1 avg=5 min=5 max=5 last=5']);
  });

  it('many: one summary per shard per interval, quiet intervals log nothing', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<Metric>('ab-c 30ms d|', {
        a: m(1),
        b: m(3),
        c: m(7, 'shard-2'),
        d: m(2),
      });
      expectObservable(source.pipe(logMetrics({ intervalMs: 10, log: () => undefined }))).toBe(
        '10ms x 24ms (y|)',
        { x: [summary([1, 3]), summary([7], 'shard-2')], y: [summary([2])] },
      );
    });
  });

  it('error: passes it through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold<Metric>('a#', { a: m(1) }).pipe(logMetrics({ intervalMs: 10, log: () => undefined })),
      ).toBe('-#');
    });
  });

  it('never-ending and early unsubscription: stops its interval', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold<Metric>('a-', { a: m(1) }).pipe(logMetrics({ intervalMs: 10, log: () => undefined })),
        '^ 25ms !',
      ).toBe('10ms x', { x: [summary([1])] });
    });
  });
});

describe('kinesisMetrics', () => {
  it('turns fetch reports into per-shard source metrics, and costs nothing unobserved', () => {
    testScheduler().run(({ flush }) => {
      const hub = kinesisMetrics();
      hub.onFetch({ stream: 's', shardId: 'x', records: 1, bytes: 1, latencyMs: 1, sleepMs: 1 });
      const seen: Metric[] = [];
      hub.metrics.subscribe((metric) => seen.push(metric));
      hub.onFetch({
        stream: 's',
        shardId: 'x',
        records: 3,
        bytes: 300,
        millisBehindLatest: 40,
        latencyMs: 12,
        sleepMs: 200,
      });
      hub.next({ name: 'sink.requestsInFlight', value: 2, at: 0 });
      flush();
      expect(seen.map((s) => [s.name, s.value])).toEqual([
        ['source.recordsPerFetch', 3],
        ['source.bytesPerFetch', 300],
        ['source.fetchLatencyMs', 12],
        ['source.sleepMs', 200],
        ['source.millisBehindLatest', 40],
        ['sink.requestsInFlight', 2],
      ]);
    });
  });
});
