import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll } from 'vitest';

// Fails a test file that leaves a referenced timer, child process or
// listening server behind: a finished pipeline must let the process exit
// (DEVELOPERS.md: clean teardown). Tracks what the file's tests create, then
// checks what is still alive once they are done.
interface Tracked {
  type: string;
  resource: object;
  closed: boolean;
}

const WATCHED = new Set(['Timeout', 'PROCESSWRAP', 'TCPSERVERWRAP']);
const tracked = new Map<number, Tracked>();
let collecting = false;

const hook = createHook({
  init(asyncId, type, _trigger, resource) {
    if (collecting && WATCHED.has(type)) tracked.set(asyncId, { type, resource, closed: false });
  },
  destroy(asyncId) {
    const entry = tracked.get(asyncId);
    if (entry !== undefined) entry.closed = true;
  },
});

const alive = (entry: Tracked): boolean => {
  if (entry.closed) return false;
  if (entry.type === 'Timeout') {
    const timer = entry.resource as {
      _destroyed?: boolean;
      hasRef?: () => boolean;
      _idleTimeout?: number;
    };
    return timer._destroyed !== true && timer._idleTimeout !== -1 && timer.hasRef?.() !== false;
  }
  const handle = entry.resource as { hasRef?: () => boolean };
  return handle.hasRef?.() !== false;
};

beforeAll(() => {
  collecting = true;
  hook.enable();
});

afterAll(async () => {
  // Stop tracking new resources (this hook's own timers) but keep hearing of closes.
  collecting = false;
  let leaked: Tracked[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    leaked = [...tracked.values()].filter(alive);
    if (leaked.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  hook.disable();
  tracked.clear();
  if (leaked.length > 0) {
    const kinds = leaked.map((entry) => entry.type).join(', ');
    throw new Error(
      `leaked handles after the test file (a timer or process still alive): ${kinds}`,
    );
  }
});
