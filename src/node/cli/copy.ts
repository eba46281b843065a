import { Subject, map, take } from 'rxjs';
import { sinkConfigFromFlinkOptions } from '../../config/sinkConfigFromFlinkOptions.js';
import { sourceConfigFromFlinkOptions } from '../../config/sourceConfigFromFlinkOptions.js';
import type { SinkInput } from '../../sink/SinkInput.js';
import { toKinesis } from '../../sink/toKinesis.js';
import { fromKinesis } from '../../source/fromKinesis.js';
import type { FetchReport } from '../../source/ShardReader.js';
import { looksLikeArn, streamNameOf } from '../../client/StreamArn.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flinkOptionsOf } from './connectionOptions.js';
import { initialPositionOf } from './initialPositionOf.js';
import { cliClient } from './cliClient.js';
import { feedSink } from './feedSink.js';
import { progressLine } from './progressLine.js';
import { untilCaughtUp } from './untilCaughtUp.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const COPY_HELP = `Usage: rx-kinesis copy <from-stream> <to-stream> [options]   (each a name or a stream ARN)

Copies records with their partition keys (and explicit hash keys), so per-key order survives.
Reads until caught up (or forever with --follow); the reader pauses while the writer is full.

Options:
  --from <position>           latest (default), trim_horizon | earliest, seconds since the epoch, or an ISO-8601 date
  -f, --follow                keep copying new records
  -n, --limit <count>         stop after this many records
  --quiet-ms <ms>             without --follow: stop once caught up and quiet this long (default 2000)
  --quiet                     no progress line
${CONNECTION_HELP}`;

/** `rx-kinesis copy`: stream → stream. */
export async function copy(
  args: string[],
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<void> {
  const { values, positionals } = parseCommandArgs('copy', args, {
    ...CONNECTION_OPTIONS,
    from: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    limit: { type: 'string', short: 'n' },
    'quiet-ms': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help === true) {
    out.write(`${COPY_HELP}\n`);
    return;
  }
  const [source, target, ...extra] = positionals;
  if (source === undefined || target === undefined)
    throw new UsageError('copy needs a source and a target stream', 'copy');
  if (extra.length > 0)
    throw new UsageError(`copy takes two streams, got also ${extra.join(' ')}`, 'copy');
  if (sameStream(source, target)) throw new UsageError('copy needs two different streams', 'copy');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError(`--limit expects a positive integer, got "${values.limit}"`, 'copy');
  const quietMs = values['quiet-ms'] === undefined ? 2000 : Number(values['quiet-ms']);
  if (!Number.isFinite(quietMs) || quietMs < 0)
    throw new UsageError(`--quiet-ms expects milliseconds, got "${values['quiet-ms']}"`, 'copy');
  const initialPosition = initialPositionOf(values.from, 'copy');
  const connection = flinkOptionsOf(values, 'copy', [source, target]);
  const read = sourceConfigFromFlinkOptions({ ...connection, stream: source });
  const write = sinkConfigFromFlinkOptions({ ...connection, stream: target });
  for (const warning of [...read.warnings, ...write.warnings])
    process.stderr.write(`warning: ${warning.message}\n`);
  const progress = progressLine(
    `copy ${source} → ${target}:`,
    process.stderr,
    values.quiet === true,
  );
  const client = cliClient(read.config, process.stderr);
  const sink = toKinesis<SinkInput>({ ...write.config, client: client.port });
  const reports = new Subject<FetchReport>();
  let records = fromKinesis({
    ...read.config,
    client: client.port,
    initialPosition,
    paused: sink.paused$,
    onFetch: (report) => reports.next(report),
  }).pipe(untilCaughtUp(reports, quietMs, values.follow === true));
  if (limit !== undefined) records = records.pipe(take(limit));
  const inputs = records.pipe(
    // not the record itself: its `stream` would send it back to the source stream
    map((record): SinkInput => ({
      data: record.data,
      partitionKey: record.partitionKey,
      ...(record.explicitHashKey !== undefined ? { explicitHashKey: record.explicitHashKey } : {}),
    })),
  );
  try {
    await feedSink(inputs, sink, progress, signal);
  } finally {
    client.destroy();
  }
  progress.done(' — all stored');
}

/** The same stream, by name, by ARN, or one of each (an ARN and its bare name: the same account). */
function sameStream(a: string, b: string): boolean {
  if (a === b) return true;
  if (looksLikeArn(a) && looksLikeArn(b)) return false;
  return streamNameOf(a) === streamNameOf(b);
}
