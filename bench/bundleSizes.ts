// Minified browser bundles of a page that reads (or writes) a stream with
// rx-kinesis, beside the bare AWS SDK client making the same calls, all built in
// the same run with the same esbuild settings. Used by `npm run bench -- bundle`
// and by the budget test in test/browserBundle.test.ts.
import { type Metafile, build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(root, '.tmp'), { recursive: true });

/** What a page imports: ours through the package's own entry (src, so no build is needed). */
export const BUNDLE_ENTRIES = {
  fromKinesis: `import { fromKinesis } from './src/index.js';
export const read = (stream: string) => fromKinesis({ stream, region: 'eu-west-1' });`,
  sdkRead: `import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
export async function read(stream: string) {
  const client = new KinesisClient({ region: 'eu-west-1' });
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: Shards[0]?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  return client.send(new GetRecordsCommand({ ShardIterator }));
}`,
  toKinesis: `import { toKinesis } from './src/index.js';
export const write = (stream: string) => toKinesis({ stream, region: 'eu-west-1' });`,
  sdkWrite: `import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
export function write(stream: string, data: Uint8Array) {
  const client = new KinesisClient({ region: 'eu-west-1' });
  return client.send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'k', Data: data }] }));
}`,
} as const;

export type BundleName = keyof typeof BUNDLE_ENTRIES;

export interface BundleSize {
  /** Minified bytes. */
  readonly bytes: number;
  /** Gzipped bytes of the minified bundle (what a server would send). */
  readonly gzipBytes: number;
  /** Bytes in the output per package (`rxjs`, `io-ts`, …) or per `src/<part>`. */
  readonly byPackage: Readonly<Record<string, number>>;
  /** Every input file with code in the bundle (after tree-shaking), relative to the project root. */
  readonly inputs: readonly string[];
  /** The minified bundle itself. */
  readonly code: string;
  /** Minified bytes of the chunks loaded only on demand (dynamic `import()`s). */
  readonly lazyBytes: number;
}

/** The package (or `src/<part>`) an input file belongs to. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match?.[1] !== undefined) return match[1];
  return input.startsWith('src/') ? `src/${input.split('/')[1] ?? ''}` : input;
}

/**
 * Bundles one entry as a page would: esbuild, platform browser (so the
 * package's `browser` field and the SDK's browser runtime are used), ESM,
 * minified, with code splitting on, as Vite, webpack and Rollup split by
 * default: a dynamic `import()` (the `COGNITO` credentials kind) becomes a
 * chunk fetched when first used. The size is what the page loads up front:
 * the entry chunk and every chunk it imports statically.
 */
export async function bundleSize(name: BundleName): Promise<BundleSize> {
  const dir = mkdtempSync(join(root, '.tmp', 'bundle-'));
  try {
    const entry = join(dir, `${name}.ts`);
    writeFileSync(entry, BUNDLE_ENTRIES[name].replaceAll("'./src/", `'${root}src/`));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      splitting: true,
      outdir: join(dir, 'out'),
      platform: 'browser',
      format: 'esm',
      minify: true,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const metafile: Metafile = result.metafile;
    // The entry chunk and, transitively, the chunks it imports statically.
    const upFront = new Set<string>();
    const visit = (path: string): void => {
      if (upFront.has(path)) return;
      upFront.add(path);
      for (const imported of metafile.outputs[path]?.imports ?? []) {
        if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
      }
    };
    const entryOutput = Object.entries(metafile.outputs).find(([, output]) =>
      output.entryPoint?.endsWith(`${name}.ts`),
    );
    if (entryOutput !== undefined) visit(entryOutput[0]);
    const parts = result.outputFiles.filter((file) =>
      upFront.has(relative(root, file.path).split(sep).join('/')),
    );
    const code = new Uint8Array(parts.reduce((sum, file) => sum + file.contents.length, 0));
    let at = 0;
    for (const file of parts) {
      code.set(file.contents, at);
      at += file.contents.length;
    }
    const byPackage: Record<string, number> = {};
    const inputs = new Set<string>();
    for (const path of upFront) {
      for (const [input, { bytesInOutput }] of Object.entries(
        metafile.outputs[path]?.inputs ?? {},
      )) {
        const key = packageOf(input);
        byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
        if (bytesInOutput > 0) inputs.add(input);
      }
    }
    const lazyBytes = result.outputFiles
      .filter((file) => !upFront.has(relative(root, file.path).split(sep).join('/')))
      .reduce((sum, file) => sum + file.contents.length, 0);
    return {
      lazyBytes,
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      byPackage,
      inputs: [...inputs],
      code: new TextDecoder().decode(code),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** All four bundles, built one after the other in this run. */
export async function bundleSizes(): Promise<Record<BundleName, BundleSize>> {
  return {
    fromKinesis: await bundleSize('fromKinesis'),
    sdkRead: await bundleSize('sdkRead'),
    toKinesis: await bundleSize('toKinesis'),
    sdkWrite: await bundleSize('sdkWrite'),
  };
}

/** Bytes as KiB with one decimal. */
export function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
