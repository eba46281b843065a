import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { runCli } from './runCli.js';

const kinesis = useKinesisLocal();

async function arnOf(client: KinesisClient, stream: string): Promise<string> {
  const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
  return out.StreamDescriptionSummary?.StreamARN ?? '';
}

describe('rx-kinesis tail / put / copy with stream ARNs (kinesis-local)', () => {
  const credentials = freshCredentials();
  // the environment names another region: a stream's ARN says where it is, and wins
  const env = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'eu-west-1',
  });
  const at = (): string[] => ['--endpoint', kinesis.endpoint];

  it('put to an ARN, tail an ARN (records name the stream), copy ARN to ARN; a region flag that disagrees is refused', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'arn-in', 2);
    await kinesis.createStream(admin, 'arn-out', 1);
    const from = await arnOf(admin, 'arn-in');
    const to = await arnOf(admin, 'arn-out');
    expect(from).toMatch(/^arn:aws:kinesis:us-east-1:/);
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);

    const written = await runCli(['put', from, ...at()], {
      stdin: `${lines.join('\n')}\n`,
      env: env(),
    });
    expect(written.stderr).toContain('20 records');
    expect(written.code).toBe(0);

    const tailed = await runCli(
      ['tail', from, ...at(), '--from', 'trim_horizon', '--format', 'json', '--quiet-ms', '1000'],
      { env: env() },
    );
    expect(tailed.code).toBe(0);
    const records = tailed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { stream: string; data: string });
    expect(records.map((r) => r.data).sort()).toEqual([...lines].sort());
    expect(new Set(records.map((r) => r.stream))).toEqual(new Set(['arn-in']));

    const copied = await runCli(
      ['copy', from, to, ...at(), '--from', 'trim_horizon', '--quiet-ms', '1000', '--quiet'],
      { env: env() },
    );
    expect(copied.code).toBe(0);
    const check = await runCli(
      [
        'tail',
        'arn-out',
        ...at(),
        '--region',
        'us-east-1',
        '--from',
        'trim_horizon',
        '--quiet-ms',
        '1000',
      ],
      { env: env() },
    );
    expect(check.stdout.trim().split('\n').sort()).toEqual([...lines].sort());

    const mismatch = await runCli(['tail', from, ...at(), '--region', 'eu-west-1'], {
      env: env(),
    });
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toContain(
      'expected a stream ARN in region eu-west-1 (the configured region)',
    );
    const malformed = await runCli(['tail', 'arn:aws:kinesis:us-east-1:stream/x', ...at()], {
      env: env(),
    });
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain('expected a stream ARN (arn:aws:kinesis:<region>');
    const same = await runCli(['copy', from, 'arn-in', ...at()], { env: env() });
    expect([same.code, same.stderr]).toEqual([
      2,
      'rx-kinesis copy: copy needs two different streams\nRun rx-kinesis copy --help for usage.\n',
    ]);
  }, 120_000);
});
