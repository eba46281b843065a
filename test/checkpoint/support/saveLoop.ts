// A child process for the kill -9 test: loads the file store (which must work
// whatever a killed save left behind), then saves ever newer large states in a
// tight loop, printing "saved <n>" after each save resolved.
import { fileCheckpointStore } from '../../../src/node/fileCheckpointStore.js';
import { stateOf } from './stateOf.js';

const [path, shards] = process.argv.slice(2);
const store = fileCheckpointStore(path as string);
const loaded = await store.load().catch((error: unknown) => {
  process.stderr.write(`load failed: ${String(error)}\n`);
  process.exit(2);
});
let n = Number(loaded?.shards['s/counter']?.sequenceNumber ?? '0');
process.stdout.write(`loaded ${n}\n`);
for (;;) {
  n += 1;
  const state = stateOf(n, Number(shards));
  state.shards['s/counter'] = { sequenceNumber: String(n) };
  await store.save(state);
  process.stdout.write(`saved ${n}\n`);
}
