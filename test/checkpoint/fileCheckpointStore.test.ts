import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { CheckpointLoadError } from '../../src/checkpoint/CheckpointLoadError.js';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import { fileCheckpointStore } from '../../src/node/fileCheckpointStore.js';
import { stateOf } from './support/stateOf.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rx-kinesis-file-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fileCheckpointStore', () => {
  it('answers undefined for a missing file, then what was saved', async () => {
    const store = fileCheckpointStore(join(dir, 'checkpoint.json'));
    expect(await store.load()).toBeUndefined();
    await store.save(stateOf(1));
    expect(await store.load()).toEqual(stateOf(1));
    // a second store on the same file reads it too (plain JSON)
    expect(JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'))).toEqual(stateOf(1));
    await store.save(stateOf(2));
    expect(await fileCheckpointStore(join(dir, 'checkpoint.json')).load()).toEqual(stateOf(2));
  });

  it('names itself by the absolute path, also for a relative one', () => {
    const path = relative(process.cwd(), join(dir, 'c.json'));
    const store = fileCheckpointStore(path);
    expect(store.path).toBe(join(dir, 'c.json'));
    expect(store.description).toBe(`file ${join(dir, 'c.json')}`);
  });

  it('a file that is not JSON is a CheckpointLoadError naming the file and path "state"', async () => {
    const path = join(dir, 'checkpoint.json');
    await writeFile(path, '{"version":1,"sta');
    const error = (await fileCheckpointStore(path)
      .load()
      .catch((e: unknown) => e)) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.store).toBe(`file ${path}`);
    expect(error.problems[0]?.path).toBe('state');
    expect(error.message).toContain(`file ${path}`);
  });

  it('a file that is not a CheckpointState names the path inside the value', async () => {
    const path = join(dir, 'checkpoint.json');
    await writeFile(
      path,
      JSON.stringify({ version: 1, starts: {}, shards: { 's/x': { sequenceNumber: 7 } } }),
    );
    const error = (await fileCheckpointStore(path)
      .load()
      .catch((e: unknown) => e)) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.problems.map((p) => p.path)).toEqual(['state.shards.s/x.sequenceNumber']);
    expect(error.message).toContain(`file ${path} holds no valid checkpoint state`);
  });

  it('a file that cannot be read (a directory) is a CheckpointLoadError with the cause', async () => {
    const error = (await fileCheckpointStore(dir)
      .load()
      .catch((e: unknown) => e)) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.problems).toEqual([]);
    expect((error.cause as { code?: string }).code).toBe('EISDIR');
  });

  it('stray temporary files of killed saves change nothing, and saves leave none', async () => {
    const path = join(dir, 'checkpoint.json');
    const store = fileCheckpointStore(path);
    await store.save(stateOf(1));
    // what a save killed before its rename leaves: a torn temp file, even one named like ours
    await writeFile(join(dir, '.checkpoint.json.999999.1.tmp'), '{"version":1,"sh');
    await writeFile(join(dir, `.checkpoint.json.${process.pid}.1.tmp`), '{"torn');
    expect(await store.load()).toEqual(stateOf(1));
    await store.save(stateOf(2));
    await store.save(stateOf(3));
    expect(await fileCheckpointStore(path).load()).toEqual(stateOf(3));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(
      [
        '.checkpoint.json.999999.1.tmp',
        `.checkpoint.json.${process.pid}.1.tmp`,
        'checkpoint.json',
      ].sort(),
    );
  });

  it('concurrent saves do not interleave: the last one called is the one stored', async () => {
    const path = join(dir, 'checkpoint.json');
    const stores = [fileCheckpointStore(path), fileCheckpointStore(path)];
    // large, and of falling size: unserialised writes would finish out of call order
    const saves = Array.from({ length: 30 }, (_, i) =>
      (stores[i % 2] as (typeof stores)[number]).save(stateOf(i, 3000 - i * 90)),
    );
    const loaded = stores[0]?.load();
    await Promise.all(saves);
    // a load queued behind the saves sees the last of them
    expect(await loaded).toEqual(stateOf(29, 3000 - 29 * 90));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(stateOf(29, 3000 - 29 * 90));
    expect(await readdir(dir)).toEqual(['checkpoint.json']);
  });

  it('a failed save leaves the previous state and no temporary file', async () => {
    const path = join(dir, 'checkpoint.json');
    const store = fileCheckpointStore(path);
    await store.save(stateOf(1));
    const cyclic = stateOf(2) as CheckpointState & { shards: Record<string, unknown> };
    cyclic.shards['s/self'] = cyclic.shards;
    await expect(store.save(cyclic)).rejects.toThrow(TypeError);
    // a directory in the way of the rename: the write fails after the temp file was made
    const blocked = fileCheckpointStore(join(dir, 'sub'));
    await mkdir(join(dir, 'sub', 'inner'), { recursive: true });
    await expect(blocked.save(stateOf(3))).rejects.toThrow();
    expect(await store.load()).toEqual(stateOf(1));
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', 'sub']);
  });

  it('a wrong path is a ConfigError', () => {
    expect(() => fileCheckpointStore('')).toThrow(ConfigError);
    expect(() => fileCheckpointStore(undefined as unknown as string)).toThrow(
      /fileCheckpointStore\.path: expected a non-empty string/,
    );
  });
});
