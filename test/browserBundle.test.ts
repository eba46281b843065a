import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../bench/bundleSizes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// DESIGN.md principle 7: the core runs in a browser bundle. esbuild with
// platform 'browser' fails on any Node built-in the core pulls in, and honours
// the package's "browser" field that swaps the Node request handler.
describe('browser bundle', () => {
  for (const entry of ['src/index.ts', 'src/testing/index.ts']) {
    it(`bundles ${entry} for the browser without Node built-ins`, async () => {
      const result = await build({
        entryPoints: [`${root}${entry}`],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: root,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((input) => input.includes('src/node/'))).toBe(false);
      expect(inputs.some((input) => input.includes('node-http-handler'))).toBe(false);
      const text = result.outputFiles[0]?.text ?? '';
      expect(text).not.toMatch(/from\s+["']node:/);
      expect(text.length).toBeGreaterThan(1000);
    });
  }
});

// Issue 11: a page that reads (or writes) a stream should not pay much more
// than the bare SDK client making the same calls: at most the SDK + 60 KiB to
// read, + 40 KiB to write. Both sides are built in this run with the same
// settings (bench/bundleSizes.ts: code splitting on, as every page bundler does
// by default, counting what the page loads up front), so the budget is
// relative. In a browser, createKinesisClient gives the fetch client (the
// package's `browser` field): the SDK client's runtime is not in the page; the
// full client is a chunk loaded only for commands the fetch client does not
// speak (EFO's SubscribeToShard).
const READ_BUDGET_KIB = 60;
const WRITE_BUDGET_KIB = 40;

describe('browser bundle size against the bare SDK client', () => {
  const sizes = bundleSizes();

  it(`import { fromKinesis } is at most the SDK's ListShards + GetShardIterator + GetRecords + ${READ_BUDGET_KIB} KiB`, async () => {
    const { fromKinesis, sdkRead } = await sizes;
    expect(sdkRead.bytes).toBeGreaterThan(100 * 1024); // the SDK itself was bundled
    expect((fromKinesis.bytes - sdkRead.bytes) / 1024).toBeLessThanOrEqual(READ_BUDGET_KIB);
  });

  it(`import { toKinesis } is at most the SDK's PutRecords + ${WRITE_BUDGET_KIB} KiB`, async () => {
    const { toKinesis, sdkWrite } = await sizes;
    expect(sdkWrite.bytes).toBeGreaterThan(100 * 1024);
    expect((toKinesis.bytes - sdkWrite.bytes) / 1024).toBeLessThanOrEqual(WRITE_BUDGET_KIB);
  });

  it('each entry pulls in only what it uses', async () => {
    const all = await sizes;
    for (const name of ['fromKinesis', 'toKinesis'] as const) {
      const inputs = all[name].inputs;
      const found = (pattern: RegExp): string[] => inputs.filter((input) => pattern.test(input));
      // a date library, CommonJS fp-ts (not tree-shaken), hash/protobuf libraries
      expect(found(/node_modules\/(date-fns|@noble|@bufbuild)\//), name).toEqual([]);
      expect(found(/node_modules\/fp-ts\/lib\//), name).toEqual([]);
      // Node-only parts, the credential-providers package (the SDK a second time)
      expect(found(/src\/node\/|credential-provider|node-http-handler/), name).toEqual([]);
      // the Flink option tables, formats, tables, StateFun modules, leases on DynamoDB
      expect(
        found(/src\/(config\/flinkOptionSpecs|config\/fromFlinkOptions|format|table|module)\//),
        name,
      ).toEqual([]);
      expect(found(/src\/lease\/(dynamoDBLeases|LeaseTable)|client-dynamodb/), name).toEqual([]);
      // io-ts's own t.union (its tagged-union index, 3 KiB; the config codecs use unionCodec)
      expect(all[name].code.includes('in union codec'), name).toBe(false);
    }
    // the SDK client's runtime is not loaded up front: the fetch client speaks for it
    for (const name of ['fromKinesis', 'toKinesis'] as const) {
      const inputs = all[name].inputs;
      expect(
        inputs.filter((input) => input.endsWith('src/client/fetchKinesisClient.ts')),
        name,
      ).toHaveLength(1);
      expect(
        inputs.filter((input) =>
          /client-kinesis\/dist-es\/(KinesisClient|runtimeConfig)|fetch-http-handler/.test(input),
        ),
        name,
      ).toEqual([]);
      expect(all[name].lazyBytes, name).toBeGreaterThan(50 * 1024); // …but a chunk away
    }
    // the reader does not carry the writer, nor the writer the reader
    expect(all.fromKinesis.inputs.filter((input) => input.startsWith('src/sink/'))).toEqual([]);
    expect(all.toKinesis.inputs.filter((input) => input.startsWith('src/source/'))).toEqual([]);
  });
});
