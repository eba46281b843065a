import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshCredentials, useKinesisLocal } from './support/emulators.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-browser-'));

// The browser build (esbuild, platform 'browser': the SDK's browser runtime
// config, its fetch request handler, our browser request handler) reading a
// real emulator. Node 20 has fetch, TextDecoder and AbortController, so the
// bundle runs here as it would in a page (kinesis-local also answers CORS).
describe('the browser bundle at run time', () => {
  const kinesis = useKinesisLocal();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a stream with fromKinesis over fetch', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'dashboard', 2);
    await client.send(
      new PutRecordsCommand({
        StreamName: 'dashboard',
        Records: Array.from({ length: 20 }, (_, i) => ({
          PartitionKey: `k${i}`,
          Data: new TextEncoder().encode(`v${i}`),
        })),
      }),
    );
    const result = await build({
      entryPoints: [`${root}test/support/browserEntry.ts`],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const text = result.outputFiles[0]?.text ?? '';
    expect(text).toContain('FetchHttpHandler');
    const file = join(dir, 'bundle.mjs');
    writeFileSync(file, text);
    const bundle = (await import(pathToFileURL(file).href)) as {
      readSome: (endpoint: string, stream: string, count: number, key: string) => Promise<string[]>;
    };
    const read = await bundle.readSome(kinesis.endpoint, 'dashboard', 20, credentials.accessKeyId);
    expect([...read].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}=v${i}`).sort());
  });
});
