import { type Observable, type SchedulerLike, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/client/errors.js';
import { CheckpointSaveError } from '../src/checkpoint/CheckpointSaveError.js';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import type { CheckpointStore } from '../src/checkpoint/CheckpointStore.js';
import { persistCheckpoints } from '../src/checkpoint/persistCheckpoints.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A state whose only content is a number, to tell states apart. */
const s = (n: number): CheckpointState => ({
  version: 1,
  starts: {},
  shards: { [`s/shard-${n}`]: { sequenceNumber: String(n) } },
});
const values = { a: s(1), b: s(2), c: s(3), d: s(4), e: s(5), f: s(6) };
const nameOf = (state: CheckpointState): string =>
  Object.entries(values).find(([, v]) => v === state)?.[0] ?? '?';

/**
 * A store whose saves take `saveMs` of virtual time (resolved by the
 * scheduler, not by microtasks, so marbles see them), failing when `fails`
 * says so. Records when each save started and ended.
 */
function virtualStore(
  scheduler: SchedulerLike,
  saveMs: number,
  fails: (n: number) => boolean = () => false,
): CheckpointStore & { log: string[]; running: number; maxRunning: number } {
  const store = {
    description: 'test store',
    log: [] as string[],
    running: 0,
    maxRunning: 0,
    load: () => Promise.resolve(undefined),
    save: (state: CheckpointState): PromiseLike<void> => {
      const n = store.log.filter((l) => l.startsWith('start')).length + 1;
      store.log.push(`start ${nameOf(state)} @${scheduler.now()}`);
      store.running += 1;
      store.maxRunning = Math.max(store.maxRunning, store.running);
      const thenable = {
        then(ok?: ((v: void) => unknown) | null, ko?: ((e: unknown) => unknown) | null) {
          scheduler.schedule(() => {
            store.running -= 1;
            store.log.push(`end ${nameOf(state)} @${scheduler.now()}`);
            if (fails(n)) ko?.(new Error('disk full'));
            else ok?.(undefined);
          }, saveMs);
          return undefined as never;
        },
      };
      return thenable as PromiseLike<void>;
    },
  };
  return store as CheckpointStore & typeof store;
}

describe('persistCheckpoints', () => {
  it('empty: completes at once, saves nothing', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(testScheduler(), 0);
      expectObservable(cold<CheckpointState>('|').pipe(persistCheckpoints(store, {}))).toBe('|');
      flush();
      expect(store.log).toEqual([]);
    });
  });

  it('one: passes it through, saves it at once, completes after the save resolved', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 5);
      const source = cold<CheckpointState>('-a|', values);
      expectObservable(source.pipe(persistCheckpoints(store, {}, scheduler))).toBe(
        '-a----|',
        values,
      );
      flush();
      expect(store.log).toEqual(['start a @1', 'end a @6']);
    });
  });

  it('many: first at once, then at most every intervalMs with the latest, the last on complete', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 1);
      const source = cold<CheckpointState>('a-b-c 5ms d 20ms e 30ms f|', values);
      const out = source.pipe(persistCheckpoints(store, { intervalMs: 10 }, scheduler));
      expectObservable(out).toBe('a-b-c 5ms d 20ms e 30ms f|', values);
      flush();
      expect(store.log).toEqual([
        'start a @0',
        'end a @1',
        'start d @10', // b and c skipped: d is the latest at the interval
        'end d @11',
        'start e @31', // nothing new until e, which is saved at once (interval long passed)
        'end e @32',
        'start f @62', // on complete
        'end f @63',
      ]);
    });
  });

  it('slow save: never two at once, the newest saved after the running one', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 10);
      const source = cold<CheckpointState>('a-b-c-d 20ms |', values);
      expectObservable(source.pipe(persistCheckpoints(store, { intervalMs: 2 }, scheduler))).toBe(
        'a-b-c-d 20ms |',
        values,
      );
      flush();
      expect(store.maxRunning).toBe(1);
      expect(store.log).toEqual(['start a @0', 'end a @10', 'start d @10', 'end d @20']);
    });
  });

  it('complete while a save runs: the latest is saved after it, then complete', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 4);
      const source = cold<CheckpointState>('ab|', values);
      expectObservable(source.pipe(persistCheckpoints(store, {}, scheduler))).toBe(
        'ab------|',
        values,
      );
      flush();
      expect(store.log).toEqual(['start a @0', 'end a @4', 'start b @4', 'end b @8']);
    });
  });

  it('error from the source: saves the latest state, then the source error', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 3);
      const source = cold<CheckpointState>('a-b-#', values, new Error('boom'));
      expectObservable(source.pipe(persistCheckpoints(store, {}, scheduler))).toBe(
        'a-b----#',
        values,
        new Error('boom'),
      );
      flush();
      expect(store.log).toEqual(['start a @0', 'end a @3', 'start b @4', 'end b @7']);
    });
  });

  it('never-ending: saves throttled, never completes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 1);
      const source = hot<CheckpointState>('a 9ms b 9ms c', values);
      expectObservable(source.pipe(persistCheckpoints(store, { intervalMs: 5 }, scheduler))).toBe(
        'a 9ms b 9ms c',
        values,
      );
      flush();
      expect(store.log).toEqual([
        'start a @0',
        'end a @1',
        'start b @10',
        'end b @11',
        'start c @20',
        'end c @21',
      ]);
    });
  });

  it('early unsubscribe: the latest unsaved state is saved once, timers stop', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 1);
      const source = hot<CheckpointState>('a-b-c 100ms d', values);
      expectObservable(
        source.pipe(persistCheckpoints(store, { intervalMs: 50 }, scheduler)),
        '-----!',
      ).toBe('a-b-c', values);
      flush();
      // b and c waited for the interval; unsubscribing at 5 saves c at once, nothing after.
      expect(store.log).toEqual(['start a @0', 'end a @1', 'start c @5', 'end c @6']);
      // d (at 105) reached nobody: no save after the unsubscribe, no interval timer saving it
    });
  });

  it('early unsubscribe by take(1): the first state is saved and nothing more', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 2);
      const source = hot<CheckpointState>('a-b', values);
      expectObservable(
        source.pipe(persistCheckpoints(store, { intervalMs: 1 }, scheduler), take(1)),
      ).toBe('(a|)', values);
      flush();
      expect(store.log).toEqual(['start a @0', 'end a @2']);
    });
  });

  it('unsubscribe while a save runs: the newest is saved after it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 10);
      const source = hot<CheckpointState>('a-b', values);
      expectObservable(source.pipe(persistCheckpoints(store, {}, scheduler)), '---!').toBe(
        'a-b',
        values,
      );
      flush();
      expect(store.maxRunning).toBe(1);
      expect(store.log).toEqual(['start a @0', 'end a @10', 'start b @10', 'end b @20']);
    });
  });

  it('save failure: a CheckpointSaveError naming the store, no further saves', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const store = virtualStore(scheduler, 2, (n) => n === 2);
      const source = cold<CheckpointState>('a-b 10ms c 10ms d|', values);
      const out = source.pipe(persistCheckpoints(store, { intervalMs: 5 }, scheduler));
      const error = new CheckpointSaveError('test store', new Error('disk full'));
      // b's save (5..7) fails: the error at 7, before c; nothing saved after it
      expectObservable(out).toBe('a-b----#', values, error);
      flush();
      expect(store.log).toEqual(['start a @0', 'end a @2', 'start b @5', 'end b @7']);
      expect(error.message).toBe(
        'test store: saving the checkpoint state failed: Error: disk full',
      );
    });
  });
});

describe('persistCheckpoints: plain promises and bad input', () => {
  it('a save that throws at once is a CheckpointSaveError', async () => {
    const store: CheckpointStore = {
      load: () => Promise.resolve(undefined),
      save: () => {
        throw new Error('no');
      },
    };
    const source: Observable<CheckpointState> = new (await import('rxjs')).Observable((o) => {
      o.next(s(1));
    });
    const error = await new Promise<unknown>((resolve) =>
      source.pipe(persistCheckpoints(store)).subscribe({ error: resolve }),
    );
    expect(error).toBeInstanceOf(CheckpointSaveError);
    expect((error as CheckpointSaveError).name).toBe('CheckpointSaveError');
    expect((error as CheckpointSaveError).store).toBe('checkpoint store');
  });

  it('unsubscribe: a failing final save goes to onFinalSaveError', async () => {
    const reported: unknown[] = [];
    let calls = 0;
    const store: CheckpointStore = {
      description: 'flaky',
      load: () => Promise.resolve(undefined),
      save: () => (++calls === 1 ? Promise.resolve() : Promise.reject(new Error('gone'))),
    };
    const { Subject } = await import('rxjs');
    const subject = new Subject<CheckpointState>();
    const subscription = subject
      .pipe(
        persistCheckpoints(store, {
          intervalMs: 60_000,
          onFinalSaveError: (e) => reported.push(e),
        }),
      )
      .subscribe();
    subject.next(s(1));
    subject.next(s(2));
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBe(2);
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toBe(
      'flaky: saving the checkpoint state failed: Error: gone',
    );
  });

  it('a bad intervalMs is a ConfigError', () => {
    const store: CheckpointStore = { load: async () => undefined, save: async () => undefined };
    expect(() => persistCheckpoints(store, { intervalMs: -1 })).toThrow(ConfigError);
    expect(() => persistCheckpoints(store, { intervalMs: -1 })).toThrow(
      'persistCheckpoints.intervalMs: expected a whole number of milliseconds ≥ 0, got -1',
    );
  });
});
