import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { readKinesis } from '../../src/source/readKinesis.js';
import type { SourceConfig } from '../../src/source/SourceConfig.js';

/** A port that only counts: any request reaching it fails the test. */
function spyPort(): KinesisPort & { calls: number } {
  const port = {
    calls: 0,
    send: (() => {
      port.calls += 1;
      return Promise.reject(new Error('no request expected'));
    }) as unknown as KinesisPort['send'],
  };
  return port;
}

const cases: Array<[string, Record<string, unknown>, string, string]> = [
  ['no stream', {}, 'source.stream', 'undefined'],
  ['both stream and streams', { stream: 'a', streams: ['b'] }, 'source.streams', '["b"]'],
  ['a stream name with a space', { stream: 'bad name' }, 'source.stream', '"bad name"'],
  ['a stream name over 128 characters', { stream: 'x'.repeat(129) }, 'source.stream', 'xxxx'],
  ['an empty streams array', { streams: [] }, 'source.streams', '[]'],
  ['a bad name inside streams', { streams: ['ok', 'no/slash'] }, 'source.streams.1', '"no/slash"'],
  [
    'an unknown initial position',
    { stream: 's', initialPosition: 'EARLIEST' },
    'source.initialPosition',
    '"EARLIEST"',
  ],
  [
    'a timestamp string not in the format',
    { stream: 's', initialPosition: { type: 'AT_TIMESTAMP', timestamp: '2024-13-45' } },
    'source.initialPosition.timestamp',
    '"2024-13-45"',
  ],
  [
    'a timestamp string not in a custom format',
    {
      stream: 's',
      initialPosition: { type: 'AT_TIMESTAMP', timestamp: '2024-01-01', format: 'dd/MM/yyyy' },
    },
    'source.initialPosition.timestamp',
    'dd/MM/yyyy',
  ],
  [
    'a negative seconds timestamp',
    { stream: 's', initialPosition: { type: 'AT_TIMESTAMP', timestamp: -5 } },
    'source.initialPosition.timestamp',
    '-5',
  ],
  ['maxRecords 0', { stream: 's', polling: { maxRecords: 0 } }, 'source.polling.maxRecords', '0'],
  [
    'maxRecords over 10,000',
    { stream: 's', polling: { maxRecords: 10_001 } },
    'source.polling.maxRecords',
    '10001',
  ],
  [
    'a negative poll interval',
    { stream: 's', polling: { intervalMs: -1 } },
    'source.polling.intervalMs',
    '-1',
  ],
  [
    'a zero discovery interval',
    { stream: 's', discoveryIntervalMs: 0 },
    'source.discoveryIntervalMs',
    '0',
  ],
  [
    'a backoff exponent below 1',
    { stream: 's', backoff: { getRecords: { expConst: 0.5 } } },
    'source.backoff.getRecords.expConst',
    '0.5',
  ],
  [
    'a backoff for an unknown API',
    { stream: 's', backoff: { getRecord: { base: 1 } } },
    'source.backoff.getRecord',
    'getRecords',
  ],
  [
    'an assignment index not below count',
    { stream: 's', assignment: { index: 3, count: 3 } },
    'source.assignment.index',
    '3',
  ],
  [
    'an unknown record publisher',
    { stream: 's', recordPublisher: 'FANOUT' },
    'source.recordPublisher',
    '"FANOUT"',
  ],
  [
    'a misspelt key',
    { stream: 's', initialPostion: 'LATEST' },
    'source.initialPostion',
    'did you mean "initialPosition"',
  ],
  [
    'a checkpoint of another version',
    { stream: 's', checkpoint: { version: 2, starts: {}, shards: {} } },
    'source.checkpoint.version',
    '2',
  ],
  [
    'a checkpoint with a bad position',
    {
      stream: 's',
      checkpoint: { version: 1, starts: {}, shards: { 's/x': { sequenceNumber: 5 } } },
    },
    'source.checkpoint.shards.s/x.sequenceNumber',
    '5',
  ],
  [
    'a non-http endpoint',
    { stream: 's', endpoint: 'ftp://host' },
    'source.endpoint',
    '"ftp://host"',
  ],
  ['paused that is not an Observable', { stream: 's', paused: true }, 'source.paused', 'true'],
  ['onFetch that is not a function', { stream: 's', onFetch: 'log' }, 'source.onFetch', '"log"'],
];

describe('source config errors: thrown at the call, before any request', () => {
  it.each(cases)('%s', (_name, input, path, shown) => {
    const client = spyPort();
    const config = { ...(input.client === undefined ? { client } : {}), ...input };
    for (const open of [fromKinesis, readKinesis]) {
      let error: unknown;
      try {
        open(config as SourceConfig)
          .subscribe({ error: () => undefined })
          .unsubscribe();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain(`${path}:`);
      expect(message).toContain(shown);
      expect(message).toMatch(/expected .+, got /);
    }
    expect(client.calls).toBe(0);
  });

  it('a client that is not a port is named (no request possible)', () => {
    expect(() => fromKinesis({ stream: 's', client: {} } as unknown as SourceConfig)).toThrow(
      /source\.client: expected a KinesisClient/,
    );
  });
});
