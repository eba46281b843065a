// The live dashboard: `npm run dashboard`. Starts kinesis-local, the backend and the page on
// free ports and prints the page's URL; Ctrl-C stops everything (exit code 130).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKinesisLocal } from '../../src/node/index.js';
import { startDashboard } from './startDashboard.js';

const emulator = await startKinesisLocal();
// kinesis-local keeps its streams in memory: a state file from an earlier run would point at
// records that no longer exist, so each run starts its own (keep the file with a real stream).
const dir = await mkdtemp(join(tmpdir(), 'rx-kinesis-dashboard-'));
let stopping = false;
let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
const shutdown = async (code: number): Promise<never> => {
  stopping = true;
  await dashboard?.stop();
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(code);
};
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));
try {
  dashboard = await startDashboard({
    kinesisEndpoint: emulator.endpoint,
    stateFile: join(dir, 'state.json'),
  });
} catch (error) {
  console.error('the dashboard did not start:', error);
  if (!stopping) await shutdown(1);
}
if (dashboard !== undefined && !stopping) {
  console.log(`kinesis-local  ${emulator.endpoint} (pid ${String(emulator.process.pid)})`);
  console.log(`feed (SSE)     ${dashboard.feedUrl}`);
  console.log(`dashboard      ${dashboard.url}`);
  console.log('Ctrl-C stops everything.');
}
