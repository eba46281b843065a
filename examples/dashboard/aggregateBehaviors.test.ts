import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { KinesisRecord, TimedEvent } from '../../src/index.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';
import { aggregateBehaviors } from './backend/aggregateBehaviors.js';
import { type WindowStep, behaviorWindows } from './backend/behaviorWindows.js';
import { type DashboardState, emptyDashboardState } from './backend/DashboardState.js';
import { loadState, saveState } from './backend/stateFile.js';
import type { WindowCountEvent } from './shared/feed.js';

const label = (w: WindowCountEvent): string => `${w.windowStart / 1000}s ${w.behavior}=${w.count}`;

/** Shop events put into a fake stream at virtual times: [at, user, behavior, ts]. */
type Put = readonly [at: number, user: number, behavior: string, ts: number];
const PUTS: readonly Put[] = [
  // window 0 (0-10 s): pv 3 (one out of order), buy 1, cart 1
  [1_000, 1, 'pv', 1_000],
  [1_000, 2, 'buy', 2_000],
  [5_000, 1, 'pv', 4_000],
  [5_000, 2, 'cart', 9_000],
  [9_500, 2, 'pv', 6_000],
  // window 1 (10-20 s): pv 2
  [12_000, 1, 'pv', 11_000],
  [13_000, 2, 'pv', 15_000],
  // window 2 (20-30 s): buy 1
  [25_000, 1, 'buy', 21_000],
];

/** Runs the backend's pipeline over PUTS in virtual time; stops at `stopAt`, resuming from `state`. */
function run(
  kinesis: FakeKinesis,
  scheduler: TestScheduler,
  stopAt: number,
  state?: DashboardState,
  puts: readonly Put[] = PUTS,
): WindowStep[] {
  const steps: WindowStep[] = [];
  scheduler.run(({ flush }) => {
    for (const [at, user, behavior, ts] of puts)
      scheduler.schedule(() => {
        kinesis.put('shop-events', `user-${user}`, JSON.stringify({ user_id: user, behavior, ts }));
      }, at);
    const subscription = aggregateBehaviors(
      {
        client: kinesis,
        eventsStream: 'shop-events',
        countsStream: 'behavior-counts',
        windowMs: 10_000,
        ...(state !== undefined ? { state } : {}),
      },
      asyncScheduler,
    ).subscribe((step) => steps.push(step));
    scheduler.schedule(() => subscription.unsubscribe(), stopAt);
    flush();
  });
  return steps;
}

const countsIn = (kinesis: FakeKinesis): string[] =>
  kinesis
    .shardsOf('behavior-counts')
    .flatMap((shard) => shard.records)
    .map((record) => label(JSON.parse(new TextDecoder().decode(record.data)) as WindowCountEvent))
    .sort();

describe('examples/dashboard backend', () => {
  it('counts per behavior per event-time window and writes each closed window to the counts stream', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const kinesis = new FakeKinesis();
    kinesis.createStream('shop-events', 2);
    kinesis.createStream('behavior-counts', 1);
    const steps = run(kinesis, scheduler, 60_000);
    const closed = steps.flatMap((s) => s.closed).map(label);
    expect(closed).toEqual(['0s buy=1', '0s cart=1', '0s pv=3', '10s pv=2', '20s buy=1']);
    expect(countsIn(kinesis)).toEqual([...closed].sort());
    const last = steps.at(-1)?.state;
    expect(last?.windows.open).toEqual({});
    expect(Object.keys(last?.checkpoint.shards ?? {}).length).toBe(2);
  });

  it('resumes from a saved state: no window counted twice, none lost', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const kinesis = new FakeKinesis();
    kinesis.createStream('shop-events', 2);
    kinesis.createStream('behavior-counts', 1);
    // First run: stopped at 20 s, after window 0 closed and with window 1 open (pv=2).
    const first = run(kinesis, scheduler, 20_000);
    const saved = JSON.parse(JSON.stringify(first.at(-1)?.state)) as DashboardState;
    expect(saved.windows.open).toEqual({ '10000': { pv: 2 } });
    expect(first.flatMap((s) => s.closed).map(label)).toEqual(['0s buy=1', '0s cart=1', '0s pv=3']);
    // Second run from the saved state (the records of the first run are still in the stream).
    const second = run(kinesis, scheduler, 60_000, saved, []);
    const all = [...first, ...second].flatMap((s) => s.closed).map(label);
    expect(all).toEqual(['0s buy=1', '0s cart=1', '0s pv=3', '10s pv=2', '20s buy=1']);
  });
});

const record = (shardId: string, sequenceNumber: string, data: string): KinesisRecord => ({
  stream: 's',
  shardId,
  sequenceNumber,
  partitionKey: 'k',
  data: new TextEncoder().encode(data),
  approximateArrivalTimestamp: new Date(0),
});

describe('behaviorWindows', () => {
  const parse = (r: KinesisRecord): { behavior: string; ts: number } =>
    JSON.parse(new TextDecoder().decode(r.data)) as { behavior: string; ts: number };

  it('sends late records to onLate and counts the rest', () => {
    const input = new Subject<TimedEvent>();
    const late: string[] = [];
    const steps: WindowStep[] = [];
    input
      .pipe(
        behaviorWindows(1_000, emptyDashboardState(), parse, (r) => late.push(r.sequenceNumber)),
      )
      .subscribe((s) => steps.push(s));
    input.next(record('a', '1', '{"behavior":"pv","ts":100}'));
    input.next({ type: 'watermark', timestamp: 1_500 });
    input.next(record('a', '2', '{"behavior":"pv","ts":900}'));
    input.next(record('a', '3', '{"behavior":"buy","ts":1_600}'.replace('_', '')));
    input.complete();
    expect(
      steps.flatMap((s) => s.closed).map((w) => `${w.windowStart} ${w.behavior}=${w.count}`),
    ).toEqual(['0 pv=1', '1000 buy=1']);
    expect(late).toEqual(['2']);
    expect(steps.at(-1)?.state.checkpoint.shards['s/a']?.sequenceNumber).toBe('3');
  });

  it('a throwing event parser or onLate is an error on the Observable, not a crash', () => {
    const errors: unknown[] = [];
    const input = new Subject<TimedEvent>();
    input
      .pipe(
        behaviorWindows(1_000, emptyDashboardState(), () => {
          throw new Error('bad event');
        }),
      )
      .subscribe({ error: (e: unknown) => errors.push(e) });
    input.next(record('a', '1', 'not json'));
    expect(errors).toEqual([new Error('bad event')]);

    const lateInput = new Subject<TimedEvent>();
    lateInput
      .pipe(
        behaviorWindows(1_000, emptyDashboardState(), parse, () => {
          throw new Error('onLate failed');
        }),
      )
      .subscribe({ error: (e: unknown) => errors.push(e) });
    lateInput.next({ type: 'watermark', timestamp: 5_000 });
    lateInput.next(record('a', '1', '{"behavior":"pv","ts":10}'));
    expect(errors).toEqual([new Error('bad event'), new Error('onLate failed')]);
  });
});

describe('the backend state file', () => {
  it('loads what was saved; nothing when there is no file; an error naming the path when bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-dashboard-state-'));
    try {
      const path = join(dir, 'state.json');
      expect(await loadState(path)).toBeUndefined();
      const state: DashboardState = {
        version: 1,
        checkpoint: {
          version: 1,
          starts: { 'shop-events': 'TRIM_HORIZON' },
          shards: { 'shop-events/shardId-000000000000': { sequenceNumber: '42' } },
        },
        windows: { watermark: 10_000, open: { '10000': { pv: 2 } } },
      };
      await saveState(path, state);
      expect(await loadState(path)).toEqual(state);
      writeFileSync(path, JSON.stringify({ ...state, windows: { watermark: 'x', open: {} } }));
      await expect(loadState(path)).rejects.toThrow(/windows\.watermark: expected/);
      writeFileSync(path, JSON.stringify({ ...state, checkpoint: { version: 2 } }));
      await expect(loadState(path)).rejects.toThrow(new RegExp(`file ${path}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
