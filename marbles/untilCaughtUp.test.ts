import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { untilCaughtUp } from '../src/node/cli/untilCaughtUp.js';
import type { FetchReport } from '../src/source/ShardReader.js';

const behind = (ms: number): FetchReport => ({
  stream: 's',
  shardId: 'shardId-0',
  records: 1,
  bytes: 1,
  millisBehindLatest: ms,
  latencyMs: 1,
  sleepMs: 0,
});
const REPORTS = { b: behind(500), c: behind(0) };

const scheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('untilCaughtUp', () => {
  it('empty: a source that completes completes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(untilCaughtUp(cold('-'), 10, false))).toBe('|');
    });
  });

  it('one: completes quietMs after caught up with no further record', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const reports = hot<FetchReport>('-c', REPORTS);
      expectObservable(cold('a-').pipe(untilCaughtUp(reports, 5, false))).toBe('a-----|');
    });
  });

  it('many: each record re-arms the quiet time; behind reports do not end it', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const reports = hot<FetchReport>('b-c', REPORTS);
      expectObservable(cold('a-b-c---').pipe(untilCaughtUp(reports, 3, false))).toBe('a-b-c--|');
    });
  });

  it('error: passes the error through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-#').pipe(untilCaughtUp(cold('c', REPORTS), 10, false))).toBe('a-#');
    });
  });

  it('never-ending: with --follow nothing ends it; without a caught-up report neither', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a--b-').pipe(untilCaughtUp(cold('c', REPORTS), 1, true))).toBe(
        'a--b-',
      );
      expectObservable(cold('a--b-').pipe(untilCaughtUp(cold('b', REPORTS), 1, false))).toBe(
        'a--b-',
      );
    });
  });

  it('early unsubscription: stops the quiet timer and both subscriptions', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const source = cold('a-----');
      const reports = hot<FetchReport>('c-----', REPORTS);
      expectObservable(source.pipe(untilCaughtUp(reports, 10, false)), '--!').toBe('a-');
      expectSubscriptions(source.subscriptions).toBe('^-!');
      expectSubscriptions(reports.subscriptions).toBe('^-!');
    });
  });
});
