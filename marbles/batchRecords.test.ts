import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type BatchOptions, batchRecords } from '../src/sink/batchRecords.js';

interface Item {
  readonly id: string;
  readonly size: number;
  readonly stream?: string;
  readonly key?: string;
}

const scheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const options = (overrides: Partial<BatchOptions<Item>> = {}): BatchOptions<Item> => ({
  maxRecords: 3,
  maxBytes: 100,
  timeoutMs: 10,
  sizeOf: (item) => item.size,
  ...overrides,
});

const item = (id: string, size = 1, stream?: string): Item => ({
  id,
  size,
  ...(stream !== undefined ? { stream } : {}),
});

describe('batchRecords', () => {
  it('completes without a batch when the source is empty', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Item>('|').pipe(batchRecords(options()))).toBe('|');
    });
  });

  it('flushes one record on completion, before completing', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const out = cold('a--|', { a: item('a') }).pipe(batchRecords(options()));
      expectObservable(out).toBe('---(x|)', { x: { key: '', items: [item('a')], bytes: 1 } });
    });
  });

  it('closes a batch at maxRecords at once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('abcdefg-|', Object.fromEntries([...'abcdefg'].map((c) => [c, item(c)])));
      const out = src.pipe(batchRecords(options()));
      expectObservable(out).toBe('--x--y--(z|)', {
        x: { key: '', items: [item('a'), item('b'), item('c')], bytes: 3 },
        y: { key: '', items: [item('d'), item('e'), item('f')], bytes: 3 },
        z: { key: '', items: [item('g')], bytes: 1 },
      });
    });
  });

  it('closes a batch before a record that would take it over maxBytes, and at maxBytes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('abcd|', {
        a: item('a', 60),
        b: item('b', 50),
        c: item('c', 50),
        d: item('d', 7),
      });
      const out = src.pipe(batchRecords(options({ maxRecords: 500 })));
      // a (60) + b would be 110: a goes alone; b + c = 100 hits the limit exactly
      expectObservable(out).toBe('-xy-(z|)', {
        x: { key: '', items: [item('a', 60)], bytes: 60 },
        y: { key: '', items: [item('b', 50), item('c', 50)], bytes: 100 },
        z: { key: '', items: [item('d', 7)], bytes: 7 },
      });
    });
  });

  it('closes a batch timeoutMs after its first record', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a---b------c 20ms |', { a: item('a'), b: item('b'), c: item('c') });
      const out = src.pipe(batchRecords(options()));
      // a at 0 → closes at 10 with b; c at 11 → closes at 21
      expectObservable(out).toBe('10ms x 10ms y 10ms |', {
        x: { key: '', items: [item('a'), item('b')], bytes: 2 },
        y: { key: '', items: [item('c')], bytes: 1 },
      });
    });
  });

  it('keeps one open batch per key, each with its own timeout', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('ab-c 20ms |', {
        a: item('a', 1, 's1'),
        b: item('b', 1, 's2'),
        c: item('c', 1, 's1'),
      });
      const out = src.pipe(batchRecords(options({ keyOf: (i) => i.stream ?? '' })));
      expectObservable(out).toBe('10ms x y 12ms |', {
        x: { key: 's1', items: [item('a', 1, 's1'), item('c', 1, 's1')], bytes: 2 },
        y: { key: 's2', items: [item('b', 1, 's2')], bytes: 1 },
      });
    });
  });

  it('with distinctOf, a second record of a key closes the batch', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const mk = (id: string, key: string): Item => ({ id, size: 1, key });
      const src = cold('abc|', { a: mk('a', 'k1'), b: mk('b', 'k2'), c: mk('c', 'k1') });
      const out = src.pipe(
        batchRecords(options({ maxRecords: 10, distinctOf: (i) => i.key ?? '' })),
      );
      expectObservable(out).toBe('--x(y|)', {
        x: { key: '', items: [mk('a', 'k1'), mk('b', 'k2')], bytes: 2 },
        y: { key: '', items: [mk('c', 'k1')], bytes: 1 },
      });
    });
  });

  it('sizes each record once', () => {
    let calls = 0;
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('abcde|', Object.fromEntries([...'abcde'].map((c) => [c, item(c)])));
      const out = src.pipe(
        batchRecords(
          options({
            sizeOf: (i) => {
              calls += 1;
              return i.size;
            },
          }),
        ),
      );
      expectObservable(out.pipe()).toBe('--x--(y|)', {
        x: { key: '', items: [item('a'), item('b'), item('c')], bytes: 3 },
        y: { key: '', items: [item('d'), item('e')], bytes: 2 },
      });
    });
    expect(calls).toBe(5);
  });

  it('passes an error on and drops the open batch', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a-#', { a: item('a') }, new Error('boom'));
      expectObservable(src.pipe(batchRecords(options()))).toBe('--#', undefined, new Error('boom'));
    });
  });

  it('flushes on timeout while the source never ends', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a-', { a: item('a') });
      expectObservable(src.pipe(batchRecords(options()))).toBe('10ms x', {
        x: { key: '', items: [item('a')], bytes: 1 },
      });
    });
  });

  it('stops its timers when unsubscribed early', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const src = cold('ab-', { a: item('a'), b: item('b') });
      expectObservable(src.pipe(batchRecords(options())), '^--- 3ms !').toBe('');
      // after the unsubscription at 7, no flush timer may be left pending
      let pending = -1;
      ts.schedule(() => {
        pending = ts.actions.filter((a) => !a.closed).length;
      }, 8);
      ts.flush();
      expect(pending).toBe(0);
    });
  });

  it('ignores a never source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Item>('-').pipe(batchRecords(options()))).toBe('-');
    });
  });
});
