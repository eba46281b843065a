// `npm run bench`: every benchmark in one run, each against a baseline measured in
// the same run (a hand-written AWS SDK loop on the same emulator and data).
// The pinned SDK warns on Node 20 that its later versions will need Node 22.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const parts: Array<[string, string, string]> = [
  ['consume', './consume.js', 'benchConsume'],
  ['checkpoint', './checkpoint.js', 'benchCheckpoint'],
  ['sink', './sink.js', 'benchSink'],
  ['latency', './latency.js', 'benchLatency'],
  ['leases', './leases.js', 'benchLeases'],
  ['ratelimit', './ratelimit.js', 'benchRateLimit'],
  ['bundle', './bundle.js', 'benchBundle'],
  ['dynamodbstreams', './dynamoDBStreams.js', 'benchDynamoDBStreams'],
];

const only = process.argv.slice(2);
for (const [name, file, fn] of parts) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  const module = (await import(file)) as Record<string, () => Promise<void>>;
  const run = module[fn];
  if (run === undefined) throw new Error(`${file} does not export ${fn}`);
  await run();
}
