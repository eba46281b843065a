import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileCheckpointStore } from '../../src/node/fileCheckpointStore.js';
import { stateOf } from './support/stateOf.js';

const LOOP = fileURLToPath(new URL('./support/saveLoop.ts', import.meta.url));
const SHARDS = 4000; // ~200 KB of JSON per save

interface Round {
  /** What the child printed after its load. */
  readonly loaded: number;
  /** The last save the child saw resolve before it was killed. */
  readonly acknowledged: number;
}

/** Runs the save loop until it has saved a few times, then SIGKILLs it `delayMs` later. */
function killedRun(path: string, delayMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOOP, path, String(SHARDS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let loaded: number | undefined;
    let acknowledged = 0;
    let saves = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'loaded') loaded = Number(value);
        if (word === 'saved') {
          acknowledged = Number(value);
          saves += 1;
          if (saves === 3) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || loaded === undefined) {
        reject(new Error(`the save loop ended with ${code ?? signal}: ${err.slice(-800)}`));
      } else resolve({ loaded, acknowledged });
    });
  });
}

describe('fileCheckpointStore under kill -9', () => {
  it('a save killed at any moment leaves the previous or the new state, never a torn file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rx-kinesis-kill-'));
    const path = join(dir, 'checkpoint.json');
    try {
      let previous = 0;
      let midSave = 0; // kills that left a temporary file: they hit a save before its rename
      let strays = 0;
      let rounds = 0;
      while (rounds < 6 || (midSave < 2 && rounds < 16)) {
        rounds += 1;
        const round = await killedRun(path, Math.floor(Math.random() * 250));
        // the child loaded what the last round left
        expect(round.loaded).toBe(previous);
        const state = await fileCheckpointStore(path).load();
        const n = Number(state?.shards['s/counter']?.sequenceNumber);
        // every resolved save is there; at most the one in flight got further
        expect(n === round.acknowledged || n === round.acknowledged + 1).toBe(true);
        const expected = stateOf(n, SHARDS);
        expected.shards['s/counter'] = { sequenceNumber: String(n) };
        expect(state).toEqual(expected);
        const temps = (await readdir(dir)).filter((f) => f.endsWith('.tmp')).length;
        if (temps > strays) midSave += 1;
        strays = temps;
        previous = n;
      }
      console.log(
        `kill -9 rounds: ${rounds}, killed mid-save: ${midSave}, stray temp files: ${strays}`,
      );
      expect(midSave).toBeGreaterThanOrEqual(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
