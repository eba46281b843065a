import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  asyncScheduler,
  concatMap,
  from,
  map,
  throttleTime,
} from 'rxjs';
import { decodeConfig, decodeStoredCheckpoint } from '../../../src/index.js';
import { type DashboardState, WindowState } from './DashboardState.js';

/** The saved state, or undefined when there is no file yet. A file that does not decode is an error. */
export async function loadState(path: string): Promise<DashboardState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = JSON.parse(text) as { checkpoint?: unknown; windows?: unknown };
  return {
    version: 1,
    checkpoint: decodeStoredCheckpoint(value.checkpoint, `file ${path}`),
    windows: decodeConfig(WindowState, value.windows, 'windows'),
  };
}

/** Writes the state whole (a temporary file renamed over the old one: never half a file). */
export async function saveState(path: string, state: DashboardState): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(state));
  await rename(`${path}.tmp`, path);
}

/** Saves the states passing through, at most one save per `intervalMs` (the latest state), in order. */
export function persistState(
  path: string,
  intervalMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<DashboardState> {
  return (source) =>
    source.pipe(
      throttleTime(intervalMs, scheduler, { leading: true, trailing: true }),
      concatMap((state) => from(saveState(path, state)).pipe(map(() => state))),
    );
}
