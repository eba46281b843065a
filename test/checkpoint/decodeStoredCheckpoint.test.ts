import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CheckpointLoadError } from '../../src/checkpoint/CheckpointLoadError.js';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { decodeStoredCheckpoint } from '../../src/checkpoint/decodeStoredCheckpoint.js';
import { loadCheckpoint } from '../../src/checkpoint/loadCheckpoint.js';
import { memoryCheckpointStore } from '../../src/checkpoint/memoryCheckpointStore.js';
import { parseStoredCheckpoint } from '../../src/checkpoint/parseStoredCheckpoint.js';

const STORE = 'file /tmp/checkpoint.json';
const valid: CheckpointState = {
  version: 1,
  starts: { orders: 'TRIM_HORIZON', clicks: { atTimestamp: '2026-01-01T00:00:00.000Z' } },
  shards: {
    'orders/shardId-000000000000': { sequenceNumber: '4960', subSequenceNumber: 2 },
    'orders/shardId-000000000001': { finished: true, parentShardIds: ['shardId-000000000000'] },
    'clicks/shardId-000000000000': {},
  },
};

/** The error a call throws (fails the test when it does not throw). */
function thrown(f: () => unknown): CheckpointLoadError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointLoadError);
    return error as CheckpointLoadError;
  }
  throw new Error('expected a CheckpointLoadError');
}

describe('decodeStoredCheckpoint', () => {
  it('answers a valid state as it is', () => {
    expect(decodeStoredCheckpoint(JSON.parse(JSON.stringify(valid)), STORE)).toEqual(valid);
  });

  it('names the store and every bad path inside the value', () => {
    const error = thrown(() =>
      decodeStoredCheckpoint(
        {
          version: 2,
          starts: { orders: 'LATEST' },
          shards: { 'orders/shardId-000000000000': { sequenceNumber: 4960, finished: false } },
        },
        STORE,
      ),
    );
    expect(error.name).toBe('CheckpointLoadError');
    expect(error.store).toBe(STORE);
    const paths = error.problems.map((p) => p.path);
    expect(paths).toContain('state.version');
    expect(paths).toContain('state.starts.orders');
    expect(paths).toContain('state.shards.orders/shardId-000000000000.sequenceNumber');
    expect(paths).toContain('state.shards.orders/shardId-000000000000.finished');
    expect(error.message).toMatch(/^file \/tmp\/checkpoint\.json holds no valid checkpoint state:/);
    expect(error.message).toContain('state.version: expected 1, got 2');
  });

  it('refuses what is not an object at the root', () => {
    for (const value of [null, 42, 'state', []]) {
      const error = thrown(() => decodeStoredCheckpoint(value, STORE));
      expect(error.problems.length).toBeGreaterThan(0);
      expect(error.problems[0]?.path.startsWith('state')).toBe(true);
    }
  });
});

describe('parseStoredCheckpoint', () => {
  it('parses JSON text into a state', () => {
    expect(parseStoredCheckpoint(JSON.stringify(valid), STORE)).toEqual(valid);
  });

  it('text that is not JSON is an error at path "state", with the parser message', () => {
    const error = thrown(() => parseStoredCheckpoint('{"version":1,"starts":{', STORE));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.path).toBe('state');
    expect(error.problems[0]?.expected).toMatch(/^JSON text \(/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toContain(STORE);
  });

  it('an empty text is not JSON either', () => {
    expect(thrown(() => parseStoredCheckpoint('', STORE)).problems[0]?.path).toBe('state');
  });
});

describe('loadCheckpoint', () => {
  it('loads nothing before subscribe, then the state once', async () => {
    let loads = 0;
    const inner = memoryCheckpointStore(valid);
    const store: CheckpointStore = {
      load: () => {
        loads += 1;
        return inner.load();
      },
      save: (state) => inner.save(state),
    };
    const loaded = loadCheckpoint(store);
    expect(loads).toBe(0);
    expect(await firstValueFrom(loaded)).toEqual(valid);
    expect(loads).toBe(1);
  });

  it('answers undefined when nothing is stored', async () => {
    expect(await firstValueFrom(loadCheckpoint(memoryCheckpointStore()))).toBeUndefined();
  });

  it('a store of your own answering something else is a CheckpointLoadError naming it', async () => {
    const store: CheckpointStore = {
      description: 'my store',
      load: () => Promise.resolve({ version: 1, starts: {} } as unknown as CheckpointState),
      save: () => Promise.resolve(),
    };
    const error = (await firstValueFrom(loadCheckpoint(store)).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect((error as CheckpointLoadError).store).toBe('my store');
    expect((error as CheckpointLoadError).problems.map((p) => p.path)).toEqual(['state.shards']);
  });

  it('a load that rejects or throws is a CheckpointLoadError with the cause', async () => {
    const cause = new Error('disk on fire');
    for (const load of [
      () => Promise.reject(cause),
      (): Promise<never> => {
        throw cause;
      },
    ]) {
      const store: CheckpointStore = { load, save: () => Promise.resolve() };
      const error = (await firstValueFrom(loadCheckpoint(store)).catch(
        (e: unknown) => e,
      )) as CheckpointLoadError;
      expect(error).toBeInstanceOf(CheckpointLoadError);
      expect(error.store).toBe('checkpoint store');
      expect(error.cause).toBe(cause);
      expect(error.message).toContain('disk on fire');
    }
  });

  it('unsubscribing aborts the load, and a late answer goes nowhere', async () => {
    let signal: AbortSignal | undefined;
    let answer: (state: CheckpointState) => void = () => undefined;
    const store: CheckpointStore = {
      load: (options) => {
        signal = options?.abortSignal;
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
      save: () => Promise.resolve(),
    };
    const seen: unknown[] = [];
    const subscription = loadCheckpoint(store).subscribe({
      next: (v) => seen.push(v),
      error: (e: unknown) => seen.push(e),
    });
    expect(signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
    answer(valid);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
  });
});
