import { type FileHandle, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointLoadError } from '../checkpoint/CheckpointLoadError.js';
import type { CheckpointState } from '../checkpoint/CheckpointState.js';
import type { CheckpointLoadOptions, CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { parseStoredCheckpoint } from '../checkpoint/parseStoredCheckpoint.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { NonEmptyString } from '../config/NonEmptyString.js';

/** A checkpoint store in one JSON file (see `fileCheckpointStore`). */
export interface FileCheckpointStore extends CheckpointStore {
  /** The file, as an absolute path. */
  readonly path: string;
  /** `file <absolute path>`. */
  readonly description: string;
}

// Loads and saves of one file, in call order, across every store of this process on that file.
const queues = new Map<string, Promise<unknown>>();
let tempCounter = 0;

function enqueue<T>(path: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}

async function closing<T>(handle: FileHandle, work: (h: FileHandle) => Promise<T>): Promise<T> {
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** Makes a rename in `dir` durable (the directory entry itself is written out). */
async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; its rename is durable enough there.
  if (process.platform === 'win32') return;
  await closing(await open(dir, 'r'), (handle) => handle.sync());
}

/**
 * A checkpoint store in a JSON file, for one process reading a stream
 * (Node only: `rx-kinesis/node`).
 *
 * - `save` writes the state to a new temporary file in the same directory
 *   (`.<name>.<pid>.<n>.tmp`), fsyncs it, renames it over the file and
 *   fsyncs the directory. The rename is atomic, so a crash (even kill -9 or
 *   a power cut after the fsyncs) leaves either the previous state or the
 *   new one, never a torn file. A killed save may leave its temporary file
 *   behind: it is never read and is safe to delete.
 * - Saves (and loads) of one file in one process run one at a time, in call
 *   order, even across several stores on the same path.
 * - `load` answers `undefined` when the file does not exist; a file that is
 *   not JSON, or not a `CheckpointState`, is a `CheckpointLoadError` naming
 *   `file <absolute path>` and the path inside the value, never a fresh start.
 * - One process per file: two processes saving to one file do not corrupt
 *   it, but the last save wins (use `dynamoDBCheckpointStore` or leases to
 *   guard against a second writer).
 *
 * ## Example
 * ```ts
 * import { checkpoints, fromKinesis, persistCheckpoints } from 'rx-kinesis';
 * import { fileCheckpointStore } from 'rx-kinesis/node';
 * const store = fileCheckpointStore('/var/lib/orders/checkpoint.json');
 * fromKinesis({ stream: 'orders', region: 'eu-west-1', checkpointStore: store })
 *   .pipe(checkpoints(), persistCheckpoints(store))
 *   .subscribe();
 * ```
 *
 * @param path the file (relative paths resolve against the working directory now)
 * @returns the store
 */
export function fileCheckpointStore(path: string): FileCheckpointStore {
  const absolute = resolve(decodeConfig(NonEmptyString, path, 'fileCheckpointStore.path'));
  const dir = dirname(absolute);
  const name = basename(absolute);
  const description = `file ${absolute}`;

  const write = async (text: string): Promise<void> => {
    tempCounter += 1;
    const temp = join(dir, `.${name}.${process.pid}.${tempCounter}.tmp`);
    try {
      await closing(await open(temp, 'wx'), async (handle) => {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      });
      await rename(temp, absolute);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
  };

  const read = async (signal: AbortSignal | undefined): Promise<CheckpointState | undefined> => {
    let text: string;
    try {
      text = await readFile(absolute, signal !== undefined ? { encoding: 'utf8', signal } : 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw new CheckpointLoadError(description, [], error);
    }
    return parseStoredCheckpoint(text, description);
  };

  return {
    path: absolute,
    description,
    load: (options?: CheckpointLoadOptions) => enqueue(absolute, () => read(options?.abortSignal)),
    save: (state) => {
      let text: string;
      try {
        // now, not when the queue gets to it: a caller changing its state later changes nothing
        text = JSON.stringify({
          version: state.version,
          starts: state.starts,
          shards: state.shards,
        });
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return enqueue(absolute, () => write(text));
    },
  };
}
