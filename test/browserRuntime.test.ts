import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { type Metafile, build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshCredentials, useKinesisLocal } from './support/emulators.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-browser-'));
const entry = `${root}test/support/browserEntry.ts`;

/** The output files a page loads up front: the entry and what it imports statically, transitively. */
function loadedUpFront(metafile: Metafile, entryOutput: string): Set<string> {
  const seen = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.external !== true) visit(imported.path);
    }
  };
  visit(entryOutput);
  return seen;
}

// The browser build (esbuild, platform 'browser': the package's "browser" field
// swaps createKinesisClient for the fetch client) reading a real emulator.
// Node 20 has fetch, TextDecoder and AbortController, so the bundle runs here as
// it would in a page (kinesis-local also answers CORS).
describe('the browser bundle at run time', () => {
  const kinesis = useKinesisLocal();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('speaks Kinesis itself and loads the SDK client only on demand, in a split build', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      splitting: true,
      outdir: dir,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const texts = new Map(
      result.outputFiles.map((file) => [relative(root, file.path), file.text] as const),
    );
    const entryOutput = Object.entries(result.metafile.outputs).find(
      ([, output]) => output.entryPoint === 'test/support/browserEntry.ts',
    )?.[0];
    expect(entryOutput).toBeDefined();
    const upFront = loadedUpFront(result.metafile, entryOutput ?? '');
    const textOf = (outputs: Iterable<string>): string =>
      [...outputs].map((output) => texts.get(output) ?? '').join('\n');
    const later = [...texts.keys()].filter((output) => !upFront.has(output));
    // the page sends Kinesis_20131202.* requests itself, over fetch
    expect(textOf(upFront)).toContain('Kinesis_20131202.');
    // the SDK client's runtime (its fetch request handler, its middleware stack)
    // is in a chunk the page imports dynamically, for the commands the fetch client does not speak
    expect(textOf(upFront)).not.toContain('FetchHttpHandler');
    expect(textOf(later)).toContain('FetchHttpHandler');
    expect(later.some((output) => /newKinesisClient/.test(output))).toBe(true);
  });

  it('keeps the SDK client in the one file when code splitting is off (inlined, not loaded up front)', async () => {
    // esbuild without `splitting` inlines a dynamic import() into the single
    // output: the bytes are there, though the module is only run on first use.
    // Bundle size claims must come from a split build (as bench/bundleSizes does).
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      absWorkingDir: root,
    });
    expect(result.outputFiles).toHaveLength(1);
    const text = result.outputFiles[0]?.text ?? '';
    expect(text).toContain('Kinesis_20131202.');
    expect(text).toContain('FetchHttpHandler');
  });

  it('reads a stream with fromKinesis over fetch, with the SDK client chunk removed', async () => {
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
    const out = join(dir, 'run');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: true,
      splitting: true,
      outdir: out,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const outputs = Object.keys(result.metafile.outputs);
    const entryOutput = outputs.find(
      (output) => result.metafile.outputs[output]?.entryPoint === 'test/support/browserEntry.ts',
    );
    // every chunk the page would only load on demand is deleted: a read that
    // needed the SDK client would fail to import it
    const upFront = loadedUpFront(result.metafile, entryOutput ?? '');
    const onDemand = outputs.filter((output) => !upFront.has(output));
    expect(
      onDemand.some((output) =>
        readFileSync(join(root, output), 'utf8').includes('FetchHttpHandler'),
      ),
    ).toBe(true);
    for (const output of onDemand) rmSync(join(root, output));
    const bundle = (await import(pathToFileURL(join(root, entryOutput ?? '')).href)) as {
      readSome: (endpoint: string, stream: string, count: number, key: string) => Promise<string[]>;
    };
    const read = await bundle.readSome(kinesis.endpoint, 'dashboard', 20, credentials.accessKeyId);
    expect([...read].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}=v${i}`).sort());
  });
});
