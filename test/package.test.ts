import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

// The package as a user gets it: the built entries of the exports map, imported by name.
describe('package entry points', () => {
  it('imports rx-kinesis, /testing, /node and /avro by name from the build', async () => {
    const script = `
      const main = await import('rx-kinesis');
      const testing = await import('rx-kinesis/testing');
      const node = await import('rx-kinesis/node');
      const avro = await import('rx-kinesis/avro');
      console.log(JSON.stringify({
        main: ['fromKinesis', 'readKinesis', 'toKinesis', 'writeToKinesis', 'checkpoints', 'watermarks', 'fromFlinkOptions', 'defineTable', 'loadModule'].filter((n) => typeof main[n] !== 'function'),
        testing: typeof testing.FakeKinesis,
        node: typeof node.startKinesisLocal,
        avro: typeof avro.avroFormat,
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
    });
    expect(JSON.parse(stdout)).toEqual({
      main: [],
      testing: 'function',
      node: 'function',
      avro: 'function',
    });
  });

  it('runs the rx-kinesis binary', async () => {
    const { stdout } = await run(process.execPath, [`${root}dist/node/cli/main.js`, '--help']);
    expect(stdout).toContain('Usage: rx-kinesis <command>');
  });
});
