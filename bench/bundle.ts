// `npm run bench -- bundle`: the browser bundle of a page that reads with
// fromKinesis (writes with toKinesis) beside the bare SDK client making the same
// calls (ListShards, GetShardIterator, GetRecords / PutRecords), built in the same run.
import { type BundleSize, bundleSizes, kib } from './bundleSizes.js';

/** Packages (or parts of src/) worth naming in the breakdown: 0.5 KiB more (or less) or beyond. */
function breakdown(size: BundleSize, baseline: BundleSize, sign: 1 | -1): string {
  const names = new Set([...Object.keys(size.byPackage), ...Object.keys(baseline.byPackage)]);
  return [...names]
    .map((name): [string, number] => [
      name,
      sign * ((size.byPackage[name] ?? 0) - (baseline.byPackage[name] ?? 0)),
    ])
    .filter(([, extra]) => extra >= 512)
    .sort((a, b) => b[1] - a[1])
    .map(([name, extra]) => `${name} ${kib(extra)}`)
    .join(', ');
}

export async function benchBundle(): Promise<void> {
  const sizes = await bundleSizes();
  // Issue 11's targets: at most the SDK + 60 KiB to read, + 40 KiB to write.
  const rows: Array<[string, BundleSize, string, BundleSize, number]> = [
    [
      'fromKinesis',
      sizes.fromKinesis,
      'SDK ListShards + GetShardIterator + GetRecords',
      sizes.sdkRead,
      60,
    ],
    ['toKinesis', sizes.toKinesis, 'SDK PutRecords', sizes.sdkWrite, 40],
  ];
  console.log('esbuild, platform browser, ESM, minified (gzip in brackets), KiB:');
  for (const [name, ours, baselineName, baseline, targetKib] of rows) {
    console.log(
      `  import { ${name} }  ${kib(ours.bytes)} (${kib(ours.gzipBytes)})` +
        `  vs ${baselineName}  ${kib(baseline.bytes)} (${kib(baseline.gzipBytes)})` +
        `  = +${kib(ours.bytes - baseline.bytes)} (+${kib(ours.gzipBytes - baseline.gzipBytes)})`,
    );
    const overTarget = (ours.bytes - baseline.bytes) / 1024 - targetKib;
    console.log(
      `    target SDK + ${targetKib} KiB: ${overTarget <= 0 ? 'met' : `not met, ${overTarget.toFixed(1)} KiB over`}`,
    );
    console.log(`    over the SDK: ${breakdown(ours, baseline, 1)}`);
    // in a browser, createKinesisClient gives the fetch client: the SDK client's runtime is not loaded
    console.log(`    under the SDK: ${breakdown(ours, baseline, -1)}`);
    console.log(
      `    loaded on demand (the full SDK client for EFO and other commands, COGNITO): ${kib(ours.lazyBytes)}`,
    );
  }
}
