import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeRecords } from './support/writeRecords.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';

const kinesis = useKinesisLocal();
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a pipeline script with tsx; resolves with its exit code, stdout and how long it took. */
function runScript(
  source: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; ms: number }> {
  // inside the package (.tmp is git-ignored) so the script resolves rxjs and the SDK
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', 'exit-'));
  const file = join(dir, 'pipeline.mts');
  writeFileSync(file, source);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, out, ms: Date.now() - started });
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
      pipeline(`source.pipe(take(20)).subscribe({ complete: () => console.log('completed') });`),
      env,
    );
    expect(completed.out).toContain('completed');
    expect(completed.code).toBe(0);
    const unsubscribed = await runScript(
      pipeline(`
let n = 0;
const sub = source.subscribe(() => { n += 1; if (n === 5) { sub.unsubscribe(); console.log('unsubscribed'); } });`),
      env,
    );
    expect(unsubscribed.out).toContain('unsubscribed');
    expect(unsubscribed.code).toBe(0);
    // without a clean teardown the poll timers (200 ms) and keep-alive sockets hold it until the 20 s kill
    expect(completed.ms).toBeLessThan(15_000);
    expect(unsubscribed.ms).toBeLessThan(15_000);
  });
});
