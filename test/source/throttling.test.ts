import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { kinesisError } from '../../src/testing/FakeKinesis.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { collect, indexOf, orderedPerShard, writeRecords } from './support/writeRecords.js';

const kinesis = useKinesisLocal();

/** A fault proxy in front of a real client: fails some calls, by command name, before they are sent. */
function faulty(
  client: KinesisClient,
  fail: (command: string, n: number) => string | undefined,
): KinesisPort & { injected: Map<string, number> } {
  const counts = new Map<string, number>();
  const injected = new Map<string, number>();
  const send = ((command: object, options?: object) => {
    const name = command.constructor.name;
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    const error = fail(name, n);
    if (error !== undefined) {
      injected.set(error, (injected.get(error) ?? 0) + 1);
      return Promise.reject(
        kinesisError(error, `injected ${error}`, error === 'InternalFailure' ? 500 : 400),
      );
    }
    return (client.send as unknown as (c: object, o?: object) => Promise<unknown>)(
      command,
      options,
    );
  }) as unknown as KinesisPort['send'];
  return { send, injected };
}

describe('throttling and transient faults (fault proxy around kinesis-local)', () => {
  it('still delivers every record exactly once, in order per shard', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'throttled', 2);
    const written = await writeRecords(client, 'throttled', 1000);
    const port = faulty(client, (command, n) => {
      if (command === 'GetRecordsCommand') {
        if (n % 3 === 0) return 'ProvisionedThroughputExceededException';
        if (n === 7) return 'InternalFailure';
        if (n === 11) return 'ExpiredIteratorException';
      }
      if (command === 'ListShardsCommand' && n === 1) return 'LimitExceededException';
      if (command === 'GetShardIteratorCommand' && n === 2)
        return 'ProvisionedThroughputExceededException';
      return undefined;
    });
    const records = await collect(
      fromKinesis({
        stream: 'throttled',
        client: port,
        initialPosition: 'TRIM_HORIZON',
        polling: { maxRecords: 40 },
        backoff: {
          listShards: { base: 20, max: 50 },
          getRecords: { base: 20, max: 50, maxRetries: 5 },
          getShardIterator: { base: 20, max: 50 },
        },
      }),
      1000,
      60_000,
    );
    expect(records.map(indexOf).sort((a, b) => a - b)).toEqual(written.map((w) => w.index));
    expect(orderedPerShard(records)).toBe(true);
    expect(port.injected.get('ProvisionedThroughputExceededException') ?? 0).toBeGreaterThan(5);
    expect(port.injected.get('ExpiredIteratorException')).toBe(1);
    expect(port.injected.get('LimitExceededException')).toBe(1);
  });
});
