// kinesalite in a child process, so that process.cpuUsage() of a benchmark measures the client
// side only (with kinesalite in-process its JSON parsing and storage would be counted too).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Kinesalite } from '../src/node/startKinesalite.js';
import { startKinesalite } from '../src/node/startKinesalite.js';

/** Starts kinesalite in its own process; `stop` kills it. */
export async function startKinesaliteProcess(): Promise<Kinesalite> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`kinesalite exited ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return {
    endpoint,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

if (process.argv[2] === '--serve') {
  const server = await startKinesalite();
  process.stdout.write(`${server.endpoint}\n`);
}
