import * as t from 'io-ts';
import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { lastValueFrom } from 'rxjs';
import { decodeConfig } from '../src/config/decodeConfig.js';
import { ConfigError } from '../src/client/errors.js';
import { classifyError } from '../src/client/classifyError.js';
import { fullJitterDelay } from '../src/client/BackoffPolicy.js';
import { sendCommand } from '../src/client/sendCommand.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { useKinesisLocal } from './support/emulators.js';

describe('decodeConfig', () => {
  it('names the path, the value and what was expected', () => {
    const codec = t.type({
      sink: t.type({ stream: t.string, batch: t.union([t.literal('a'), t.number]) }),
    });
    try {
      decodeConfig(codec, { sink: { stream: 3, batch: 'x' } }, 'config');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('config.sink.stream: expected string, got 3');
      expect(message).toContain('config.sink.batch: expected "a" or number, got "x"');
    }
  });
});

describe('classifyError', () => {
  it('classifies by name and status, not message', () => {
    expect(classifyError({ name: 'ProvisionedThroughputExceededException' })).toBe('retryable');
    expect(classifyError({ name: 'ExpiredIteratorException' })).toBe('expired-iterator');
    expect(classifyError({ name: 'ResourceNotFoundException' })).toBe('not-found');
    expect(classifyError({ name: 'Whatever', $metadata: { httpStatusCode: 503 } })).toBe(
      'retryable',
    );
    expect(classifyError({ name: 'Error', code: 'ECONNRESET' })).toBe('retryable');
    expect(classifyError({ name: 'ValidationException', message: 'throttl' })).toBe('fatal');
  });
});

describe('fullJitterDelay', () => {
  it('draws below the capped exponential ceiling', () => {
    const policy = { base: 300, max: 1000, expConst: 1.5, maxRetries: 3 };
    expect(fullJitterDelay(policy, 0, () => 0.999)).toBe(299);
    expect(fullJitterDelay(policy, 2, () => 0.5)).toBe(337);
    expect(fullJitterDelay(policy, 10, () => 0.5)).toBe(500);
  });
});

describe('FakeKinesis paging', () => {
  it('pages ListShards with NextToken and refuses NextToken with StreamName', async () => {
    const fake = new FakeKinesis();
    fake.createStream('s', 5);
    const first = await lastValueFrom(
      sendCommand<{ Shards: unknown[]; NextToken?: string }>(
        fake,
        new ListShardsCommand({ StreamName: 's', MaxResults: 2 }),
      ),
    );
    expect(first.Shards).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    await expect(
      lastValueFrom(
        sendCommand(
          fake,
          new ListShardsCommand({ StreamName: 's', NextToken: first.NextToken ?? '' }),
        ),
      ),
    ).rejects.toThrow(/NextToken/);
  });
});

describe('emulator launcher', () => {
  const kinesis = useKinesisLocal();
  it('starts kinesis-local on free ports and answers ListShards', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'launcher', 3);
    const out = await client.send(new ListShardsCommand({ StreamName: 'launcher' }));
    expect(out.Shards).toHaveLength(3);
    expect(kinesis.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
