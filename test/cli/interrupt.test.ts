import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const kinesis = useKinesisLocal();

/** Starts `rx-kinesis <args>` with stdin left open; resolves its exit code and stderr. */
function start(
  args: string[],
  env: Record<string, string>,
): {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<{ code: number | null; stderr: string }>;
  stdout(): string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr });
    });
  });
  return { child, exited, stdout: () => stdout };
}

/** Waits (polling) until `check` holds: the command is running, its signal handler in place. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('rx-kinesis: Ctrl-C', () => {
  it('put: SIGINT aborts the sink, stops reading stdin and exits 130', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'interrupted', 1);
    const env = {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const { child, exited } = start(
      ['put', 'interrupted', '--endpoint', kinesis.endpoint, '--quiet'],
      env,
    );
    // stdin stays open: without the interrupt, put would wait for more lines forever
    child.stdin.write('one\ntwo\n');
    await until(async () => {
      const shards = await client.send(new ListShardsCommand({ StreamName: 'interrupted' }));
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'interrupted',
          ShardId: shards.Shards?.[0]?.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const got = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }),
      );
      return (got.Records?.length ?? 0) === 2;
    }, 'put to store its first lines');
    const sent = Date.now();
    child.kill('SIGINT');
    const { code, stderr } = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain('rx-kinesis put: interrupted');
    expect(Date.now() - sent).toBeLessThan(10_000);
  });

  it('tail --follow: SIGINT stops reading and exits 130', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'followed', 1);
    await client.send(
      new PutRecordCommand({
        StreamName: 'followed',
        PartitionKey: 'k',
        Data: Buffer.from('hello'),
      }),
    );
    const { child, exited, stdout } = start(
      ['tail', 'followed', '--follow', '--from', 'trim_horizon', '--endpoint', kinesis.endpoint],
      {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    );
    // following: it would read forever
    await until(() => stdout().includes('hello'), 'tail to print the record');
    child.kill('SIGINT');
    const { code } = await exited;
    expect(code).toBe(130);
  });
});
