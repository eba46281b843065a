import type { Observable, Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import type { SinkConfig } from '../../src/sink/SinkConfig.js';
import type { SinkAck, SinkInput } from '../../src/sink/SinkInput.js';
import { type KinesisWriter, writeToKinesis } from '../../src/sink/writeToKinesis.js';
import type { FakeKinesis } from '../../src/testing/FakeKinesis.js';

export const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A deterministic [0, 1) source (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Run<T> {
  acks: Array<SinkAck<T>>;
  completedAt: number | undefined;
  error: unknown;
  /** Scheduled actions left after the run (a leaked timer shows here). */
  actionsLeft: number;
  writer: KinesisWriter<T>;
}

/** Runs `source.pipe(writeToKinesis(config))` to its end in virtual time. */
export function runWriter<T extends SinkInput>(
  ts: TestScheduler,
  config: SinkConfig<T>,
  source: Observable<T>,
  during?: (subscription: Subscription) => void,
): Run<T> {
  const writer = writeToKinesis(config, ts);
  const run: Run<T> = {
    acks: [],
    completedAt: undefined,
    error: undefined,
    actionsLeft: 0,
    writer,
  };
  ts.run(({ flush }) => {
    const subscription = source.pipe(writer).subscribe({
      next: (ack) => run.acks.push(ack),
      error: (error: unknown) => (run.error = error),
      complete: () => (run.completedAt = ts.now()),
    });
    during?.(subscription);
    flush();
    run.actionsLeft = ts.actions.length;
  });
  return run;
}

/**
 * A port in front of the fake that never answers the calls `hang` picks
 * (until aborted), and passes the rest on. Counts aborted calls.
 */
export function hangingPort(
  fake: FakeKinesis,
  hang: (command: string, index: number) => boolean,
): KinesisPort & { aborted: number; hung: number; calls: string[] } {
  const port = {
    aborted: 0,
    hung: 0,
    calls: [] as string[],
    send: ((command: object, options: { abortSignal?: AbortSignal }) => {
      const name = command.constructor.name;
      const index = port.calls.filter((c) => c === name).length;
      port.calls.push(name);
      if (!hang(name, index)) {
        return (fake.send as unknown as (c: object, o: object) => PromiseLike<unknown>)(
          command,
          options,
        );
      }
      port.hung += 1;
      return {
        then: (_ok: (v: unknown) => void, bad: (e: unknown) => void) => {
          options.abortSignal?.addEventListener('abort', () => {
            port.aborted += 1;
            const error = new Error('aborted');
            error.name = 'AbortError';
            bad(error);
          });
        },
      };
    }) as unknown as KinesisPort['send'],
  };
  return port;
}

/** Every record stored in a stream of the fake, shard after shard. */
export const storedKeys = (fake: FakeKinesis, stream: string): string[] =>
  fake.shardsOf(stream).flatMap((shard) => shard.records.map((r) => r.partitionKey));

/** A port in front of the fake that counts PutRecords requests and those with refused entries. */
export function countingPort(
  fake: FakeKinesis,
): KinesisPort & { putRequests: number; throttledRequests: number } {
  const port = {
    putRequests: 0,
    throttledRequests: 0,
    send: ((command: object, options: object) => {
      const answer = (fake.send as unknown as (c: object, o: object) => PromiseLike<unknown>)(
        command,
        options,
      );
      if (command.constructor.name !== 'PutRecordsCommand') return answer;
      port.putRequests += 1;
      return {
        then: (ok: (v: unknown) => void, bad: (e: unknown) => void) =>
          answer.then((output) => {
            if (((output as { FailedRecordCount?: number }).FailedRecordCount ?? 0) > 0)
              port.throttledRequests += 1;
            ok(output);
          }, bad),
      };
    }) as unknown as KinesisPort['send'],
  };
  return port;
}
