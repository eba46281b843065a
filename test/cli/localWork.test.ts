import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { cliClient } from '../../src/node/cli/cliClient.js';
import { freePort } from '../../src/node/freePort.js';
import { runCli } from './runCli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// what a user's shell has: not the variable our test setup sets to quiet the SDK
const userEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' };

/** Spawns the CLI; resolves once `stderr` or `stdout` matches, with what it printed so far. */
function startUntil(
  args: string[],
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<{ output: string; elapsedMs: number; stop(): Promise<number | null> }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...userEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${pattern} within 30 s:\n${output}`));
    }, 30_000);
    const seen = (chunk: Buffer): void => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve({
          output,
          elapsedMs: Date.now() - started,
          stop: async () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
  });
}

describe('rx-kinesis: local work in two commands', () => {
  it(
    'emulator prints an endpoint and an environment; create, list, put, tail and delete use them',
    {
      timeout: 180_000,
    },
    async () => {
      const emulator = await startUntil(['emulator'], /Ctrl-C stops it/);
      try {
        const env = Object.fromEntries(
          [...emulator.output.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]),
        ) as Record<string, string>;
        expect(Object.keys(env).sort()).toEqual([
          'AWS_ACCESS_KEY_ID',
          'AWS_ENDPOINT_URL_KINESIS',
          'AWS_REGION',
          'AWS_SECRET_ACCESS_KEY',
        ]);
        expect(env['AWS_ENDPOINT_URL_KINESIS']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const cli = (args: string[], stdin?: string) =>
          runCli(args, { env: { ...userEnv, ...env }, ...(stdin !== undefined ? { stdin } : {}) });

        const created = await cli(['create-stream', 'local-demo', '--shards', '2']);
        expect([created.code, created.stdout]).toEqual([0, 'created local-demo (2 shards)\n']);
        expect((await cli(['list-streams'])).stdout).toBe('local-demo\n');
        const put = await cli(['put', 'local-demo'], 'hello\n');
        expect(put.code).toBe(0);
        // no SDK notice, one final line, a singular noun, stored records counted
        expect(put.stderr).not.toMatch(/NodeVersion|node\.js version|support/i);
        expect(put.stderr.trim().split('\n').pop()).toMatch(
          /^put local-demo: 1 record, \d+\/s — all stored in local-demo$/,
        );
        const tail = await cli([
          'tail',
          'local-demo',
          '--from',
          'trim_horizon',
          '--quiet-ms',
          '500',
        ]);
        expect([tail.code, tail.stdout, tail.stderr]).toEqual([0, 'hello\n', '']);
        expect((await cli(['delete-stream', 'local-demo'])).stdout).toBe('deleted local-demo\n');
        expect((await cli(['list-streams'])).stdout).toBe('');
      } finally {
        expect(await emulator.stop()).toBe(130);
      }
    },
  );

  it('progress counts stored records: a put to a missing stream stores none', async () => {
    const emulator = await startUntil(['emulator'], /Ctrl-C stops it/);
    try {
      const endpoint = /AWS_ENDPOINT_URL_KINESIS=(\S+)/.exec(emulator.output)?.[1] ?? '';
      const put = await runCli(['put', 'missing', '--endpoint', endpoint], {
        stdin: 'a\nb\n',
        env: { ...userEnv, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
      });
      expect(put.code).toBe(1);
      expect(put.stderr).not.toMatch(/[12] records?/);
      expect(put.stderr).toContain('StreamNotFoundError');
    } finally {
      await emulator.stop();
    }
  });

  it('an unreachable endpoint prints one "retrying" line at once, not silence', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const tail = await startUntil(['tail', 'demo', '--endpoint', closed], /retrying/, {
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
    });
    // the process start (tsx) is most of it; the retries themselves would take ~20 s
    expect(tail.elapsedMs).toBeLessThan(15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await tail.stop();
    expect(tail.output).toMatch(
      new RegExp(`^retrying ListShards at ${closed} \\(Error: connect ECONNREFUSED .*\\) …\\n$`),
    );
  });

  it('the client tells at the first retryable failure, once, without waiting for the retries', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const lines: string[] = [];
    const err = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const client = cliClient(
      {
        endpoint: closed,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      },
      err,
    );
    try {
      const started = Date.now();
      await expect(client.port.send(new ListShardsCommand({ StreamName: 'demo' }))).rejects.toThrow(
        /ECONNREFUSED/,
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      await expect(
        client.port.send(new ListShardsCommand({ StreamName: 'demo' })),
      ).rejects.toThrow();
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`^retrying ListShards at ${closed} \\(Error: connect ECONNREFUSED`),
        ),
      ]);
    } finally {
      client.destroy();
    }
  });

  it('unknown flags and missing values are told in our words, with a did-you-mean', async () => {
    const unknown = await runCli(['tail', 'demo', '--region', 'us-east-1', '--folow']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      'rx-kinesis tail: unknown option --folow (did you mean "--follow"?)\nRun rx-kinesis tail --help for usage.\n',
    ]);
    const missing = await runCli(['tail', 'demo', '--region', 'us-east-1', '--limit']);
    expect(missing.stderr).toContain('rx-kinesis tail: --limit needs a value (--limit <value>)');
    const shards = await runCli(['create-stream', 'x', '--region', 'us-east-1', '--shard', '2']);
    expect(shards.stderr).toContain('unknown option --shard (did you mean "--shards"?)');
  });
});
