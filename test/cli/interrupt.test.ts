import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr });
    });
  });
  return { child, exited };
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
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = Date.now();
    child.kill('SIGINT');
    const { code, stderr } = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain('rx-kinesis put: interrupted');
    expect(Date.now() - sent).toBeLessThan(5_000);
  });

  it('tail --follow: SIGINT stops reading and exits 130', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'followed', 1);
    const { child, exited } = start(
      ['tail', 'followed', '--follow', '--endpoint', kinesis.endpoint],
      {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    );
    // following: it would read forever
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const { code } = await exited;
    expect(code).toBe(130);
  });
});
