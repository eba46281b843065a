import { Subject, fromEvent, lastValueFrom, take, takeUntil, tap } from 'rxjs';
import { sourceConfigFromFlinkOptions } from '../../config/sourceConfigFromFlinkOptions.js';
import { fromKinesis } from '../../source/fromKinesis.js';
import type { FetchReport } from '../../source/ShardReader.js';
import type { KinesisRecord } from '../../record.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flinkOptionsOf } from './connectionOptions.js';
import { cliClient } from './cliClient.js';
import { initialPositionOf } from './initialPositionOf.js';
import { untilCaughtUp } from './untilCaughtUp.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const TAIL_HELP = `Usage: rx-kinesis tail <stream or stream ARN> [options]

Prints the records of a stream, one per line, until it has caught up (or forever with --follow).

Options:
  --from <position>           latest (default), trim_horizon | earliest, seconds since the epoch, or an ISO-8601 date
  -f, --follow                keep reading new records
  -n, --limit <count>         stop after this many records
  --format <raw|json|base64>  raw: the data as UTF-8 text (default); json: the whole record as JSON; base64: the data
  --quiet-ms <ms>             without --follow: stop once caught up and quiet this long (default 2000)
${CONNECTION_HELP}`;

/** Formats one record for a line of output. */
function lineOf(record: KinesisRecord, format: string): string {
  switch (format) {
    case 'json':
      return JSON.stringify({
        stream: record.stream,
        shardId: record.shardId,
        sequenceNumber: record.sequenceNumber,
        ...(record.subSequenceNumber !== undefined
          ? { subSequenceNumber: record.subSequenceNumber }
          : {}),
        partitionKey: record.partitionKey,
        approximateArrivalTimestamp: record.approximateArrivalTimestamp.toISOString(),
        data: new TextDecoder().decode(record.data),
      });
    case 'base64':
      return Buffer.from(record.data).toString('base64');
    default:
      return new TextDecoder().decode(record.data);
  }
}

/** `rx-kinesis tail`: prints a stream's records. */
export async function tail(
  args: string[],
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<void> {
  const { values, positionals } = parseCommandArgs('tail', args, {
    ...CONNECTION_OPTIONS,
    from: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    limit: { type: 'string', short: 'n' },
    format: { type: 'string' },
    'quiet-ms': { type: 'string' },
  });
  if (values.help === true) {
    out.write(`${TAIL_HELP}\n`);
    return;
  }
  const [stream, ...extra] = positionals;
  if (stream === undefined) throw new UsageError('tail needs a stream name or ARN', 'tail');
  if (extra.length > 0)
    throw new UsageError(`tail takes one stream, got also ${extra.join(' ')}`, 'tail');
  const format = values.format ?? 'raw';
  if (!['raw', 'json', 'base64'].includes(format))
    throw new UsageError(`--format expects raw, json or base64, got "${format}"`, 'tail');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError(`--limit expects a positive integer, got "${values.limit}"`, 'tail');
  const quietMs = values['quiet-ms'] === undefined ? 2000 : Number(values['quiet-ms']);
  if (!Number.isFinite(quietMs) || quietMs < 0)
    throw new UsageError(`--quiet-ms expects milliseconds, got "${values['quiet-ms']}"`, 'tail');
  const initialPosition = initialPositionOf(values.from, 'tail');
  const { config, warnings } = sourceConfigFromFlinkOptions({
    ...flinkOptionsOf(values, 'tail', [stream]),
    stream,
  });
  for (const warning of warnings) process.stderr.write(`warning: ${warning.message}\n`);
  const reports = new Subject<FetchReport>();
  const client = cliClient(config, process.stderr);
  let records = fromKinesis({
    ...config,
    client: client.port,
    initialPosition,
    onFetch: (report) => reports.next(report),
  }).pipe(untilCaughtUp(reports, quietMs, values.follow === true));
  if (limit !== undefined) records = records.pipe(take(limit));
  // Ctrl-C: stop reading (requests aborted, timers stopped) and end normally
  if (signal !== undefined) records = records.pipe(takeUntil(fromEvent(signal, 'abort')));
  try {
    await lastValueFrom(records.pipe(tap((record) => out.write(`${lineOf(record, format)}\n`))), {
      defaultValue: undefined,
    });
  } finally {
    client.destroy();
  }
}
