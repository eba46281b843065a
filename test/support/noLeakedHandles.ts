import { afterAll, beforeAll } from 'vitest';

// Fails a test file that leaves timers or child processes behind: a finished
// pipeline must let the process exit (DEVELOPERS.md: clean teardown).
const WATCHED = new Set(['Timeout', 'ProcessWrap', 'TCPServerWrap']);

const count = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
};

let baseline = new Map<string, number>();

beforeAll(() => {
  baseline = count();
});

afterAll(async () => {
  let leaked: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = count();
    leaked = [...now]
      .filter(([kind, n]) => n > (baseline.get(kind) ?? 0))
      .map(([kind, n]) => `${kind} x${n - (baseline.get(kind) ?? 0)}`);
    if (leaked.length === 0) return;
  }
  throw new Error(`leaked handles after the test file: ${leaked.join(', ')}`);
});
