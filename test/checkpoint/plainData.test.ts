import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { type Observable, firstValueFrom, filter, lastValueFrom, map, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import { checkpoints } from '../../src/checkpoint/checkpoints.js';
import type { KinesisRecord } from '../../src/record.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const text = (r: KinesisRecord): string => new TextDecoder().decode(r.data);

/** What a user's pipeline might do to records before checkpoints(): three kinds of copies. */
const COPIES: ReadonlyArray<{
  name: string;
  copy: (records: Observable<KinesisRecord>) => Observable<KinesisRecord>;
}> = [
  { name: 'an object spread', copy: (r) => r.pipe(map((x) => ({ ...x, text: text(x) }))) },
  { name: 'structuredClone', copy: (r) => r.pipe(map((x) => structuredClone(x))) },
];

/**
 * The scenario: two streams read from LATEST, records copied before checkpoints(); a
 * record is written to the quiet stream while the pipeline is down; the restart must read it.
 */
async function quietStreamAfterRestart(
  stateOf: (records: KinesisRecord[]) => Promise<CheckpointState>,
): Promise<string[]> {
  const kinesis = new FakeKinesis();
  kinesis.createStream('busy', 1);
  kinesis.createStream('quiet', 1);
  const first = fromKinesis({
    streams: ['busy', 'quiet'],
    client: kinesis,
    initialPosition: 'LATEST',
  });
  const reading = firstValueFrom(first.pipe(take(1), toArray()));
  // written after the start (LATEST): read by the first run
  setTimeout(() => kinesis.put('busy', 'k', 'first'), 300);
  const state = await stateOf(await reading);
  expect(Object.keys(state.starts).sort()).toEqual(['busy', 'quiet']);
  // while down: one record to the quiet stream
  await new Promise((resolve) => setTimeout(resolve, 20));
  kinesis.put('quiet', 'k', 'written while down');
  const again = await lastValueFrom(
    fromKinesis({ streams: ['busy', 'quiet'], client: kinesis, checkpoint: state }).pipe(
      filter((r) => r.stream === 'quiet'),
      take(1),
      map(text),
      toArray(),
    ),
  );
  return again;
}

describe('checkpoint facts are plain data on the record', () => {
  it.each(COPIES)(
    'survive $name before checkpoints(): the quiet stream is read after a restart',
    async ({ copy }) => {
      const read = await quietStreamAfterRestart(async (records) => {
        const states = await lastValueFrom(
          copy(
            new (await import('rxjs')).Observable<KinesisRecord>((s) => {
              for (const r of records) s.next(r);
              s.complete();
            }),
          ).pipe(checkpoints(), toArray()),
        );
        return states.at(-1) as CheckpointState;
      });
      expect(read).toEqual(['written while down']);
    },
  );

  it('survive a worker_threads message: checkpoints() in a worker gives the same state', async () => {
    const read = await quietStreamAfterRestart(
      (records) =>
        new Promise<CheckpointState>((resolve, reject) => {
          // the built package, by its own name, as a user's worker would import it
          const worker = new Worker(
            `const { parentPort, workerData } = require('node:worker_threads');
             import('rx-kinesis').then(({ checkpoints }) =>
               import('rxjs').then(({ from, last }) =>
                 from(workerData).pipe(checkpoints(), last()).subscribe((state) =>
                   parentPort.postMessage(JSON.parse(JSON.stringify(state))))));`,
            { eval: true, workerData: records, cwd: root } as ConstructorParameters<
              typeof Worker
            >[1],
          );
          worker.once('message', (state: CheckpointState) => {
            void worker.terminate();
            resolve(state);
          });
          worker.once('error', reject);
        }),
    );
    expect(read).toEqual(['written while down']);
  });

  it('is one shared object per shard (no per-record copy) and serialises with the record', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('s', 1);
    kinesis.put('s', 'k', 'a');
    kinesis.put('s', 'k', 'b');
    const [a, b] = await lastValueFrom(
      fromKinesis({ stream: 's', client: kinesis, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(2),
        toArray(),
      ),
    );
    expect(a?.shard).toBeDefined();
    expect(a?.shard).toBe(b?.shard);
    expect(JSON.parse(JSON.stringify(a)).shard).toEqual({
      pinnedStart: 'TRIM_HORIZON',
      pinnedStarts: { s: 'TRIM_HORIZON' },
      parentShardIds: [],
    });
  });
});
