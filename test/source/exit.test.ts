import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeRecords } from './support/writeRecords.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';

const kinesis = useKinesisLocal();
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a pipeline script with tsx; resolves with its exit code, stdout and when it exited. */
function runScript(
  source: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; exitedAt: number }> {
  // inside the package (.tmp is git-ignored) so the script resolves rxjs and the SDK
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', 'exit-'));
  const file = join(dir, 'pipeline.mts');
  writeFileSync(file, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, out, exitedAt: Date.now() });
    });
  });
}

const pipeline = (ending: string): string => `
import { take } from 'rxjs';
import { fromKinesis } from ${JSON.stringify(join(root, 'src/source/fromKinesis.ts'))};
const source = fromKinesis({
  stream: 'exit', region: 'us-east-1', endpoint: process.env.ENDPOINT,
  credentials: { accessKeyId: process.env.KEY_ID, secretAccessKey: 'secret' },
  initialPosition: 'TRIM_HORIZON',
});
${ending}
`;

describe('a finished pipeline lets the process exit by itself', () => {
  it('after take() completes, and after an explicit unsubscribe', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'exit', 2);
    await writeRecords(client, 'exit', 20);
    const env = { ENDPOINT: kinesis.endpoint, KEY_ID: credentials.accessKeyId };
    const completed = await runScript(
      pipeline(
        `source.pipe(take(20)).subscribe({ complete: () => console.log('completed at', Date.now()) });`,
      ),
      env,
    );
    expect(completed.out).toContain('completed');
    expect(completed.code).toBe(0);
    const unsubscribed = await runScript(
      pipeline(`
let n = 0;
const sub = source.subscribe(() => { n += 1; if (n === 5) { sub.unsubscribe(); console.log('unsubscribed at', Date.now()); } });`),
      env,
    );
    expect(unsubscribed.out).toContain('unsubscribed');
    expect(unsubscribed.code).toBe(0);
    // Without a clean teardown the poll timers (200 ms) and keep-alive sockets hold the process
    // until the kill (code null), or for the sockets' idle time. Measured from the end of the
    // pipeline, not from the start: starting tsx takes seconds on a loaded machine.
    const endOf = (out: string): number => Number(/ at (\d+)/.exec(out)?.[1]);
    expect(completed.exitedAt - endOf(completed.out)).toBeLessThan(4000);
    expect(unsubscribed.exitedAt - endOf(unsubscribed.out)).toBeLessThan(4000);
  });
});
