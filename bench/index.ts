// `npm run bench`: every benchmark in one run, each against a baseline measured in
// the same run (a hand-written AWS SDK loop on the same emulator and data).
const parts: Array<[string, string, string]> = [
  ['consume', './consume.js', 'benchConsume'],
  ['sink', './sink.js', 'benchSink'],
  ['latency', './latency.js', 'benchLatency'],
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
