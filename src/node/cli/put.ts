import { concatMap, from } from 'rxjs';
import { sinkConfigFromFlinkOptions } from '../../config/sinkConfigFromFlinkOptions.js';
import type { SinkInput } from '../../sink/SinkInput.js';
import { toKinesis } from '../../sink/toKinesis.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flinkOptionsOf } from './connectionOptions.js';
import { linesOf } from './linesOf.js';
import { cliClient } from './cliClient.js';
import { feedSink } from './feedSink.js';
import { progressLine } from './progressLine.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const PUT_HELP = `Usage: rx-kinesis put <stream or stream ARN> [options] < lines

Writes each line of stdin as one record (empty lines are skipped), then waits until Kinesis has stored all.

Options:
  --format <raw|json>         raw: the line as UTF-8 (default); json: each line must be JSON (checked)
  --partition-key <key>       the same key for every record (default: random keys)
  --key-field <field>         with --format json: the key is this field of each line
  --quiet                     no progress line
${CONNECTION_HELP}`;

/** `rx-kinesis put`: stdin lines → records. */
export async function put(
  args: string[],
  out: NodeJS.WritableStream,
  input: NodeJS.ReadableStream,
  signal?: AbortSignal,
): Promise<void> {
  const { values, positionals } = parseCommandArgs('put', args, {
    ...CONNECTION_OPTIONS,
    format: { type: 'string' },
    'partition-key': { type: 'string' },
    'key-field': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help === true) {
    out.write(`${PUT_HELP}\n`);
    return;
  }
  const [stream, ...extra] = positionals;
  if (stream === undefined) throw new UsageError('put needs a stream name or ARN', 'put');
  if (extra.length > 0)
    throw new UsageError(`put takes one stream, got also ${extra.join(' ')}`, 'put');
  const format = values.format ?? 'raw';
  if (format !== 'raw' && format !== 'json')
    throw new UsageError(`--format expects raw or json, got "${format}"`, 'put');
  const keyField = values['key-field'];
  if (keyField !== undefined && format !== 'json')
    throw new UsageError('--key-field needs --format json', 'put');
  if (keyField !== undefined && values['partition-key'] !== undefined)
    throw new UsageError('--partition-key and --key-field exclude each other', 'put');
  const { config, warnings } = sinkConfigFromFlinkOptions({
    ...flinkOptionsOf(values, 'put', [stream]),
    stream,
  });
  for (const warning of warnings) process.stderr.write(`warning: ${warning.message}\n`);
  const progress = progressLine(`put ${stream}:`, process.stderr, values.quiet === true);
  const client = cliClient(config, process.stderr);
  const sink = toKinesis<SinkInput>({ ...config, client: client.port });
  const toInput = ({ line, number }: { line: string; number: number }): SinkInput[] => {
    if (line === '') return [];
    if (format === 'raw')
      return [
        values['partition-key'] === undefined
          ? { data: line }
          : { data: line, partitionKey: values['partition-key'] },
      ];
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`stdin line ${number} is not JSON: ${(error as Error).message}`, 'put');
    }
    if (keyField === undefined)
      return [
        values['partition-key'] === undefined
          ? { data: line }
          : { data: line, partitionKey: values['partition-key'] },
      ];
    const key = (parsed as Record<string, unknown> | null)?.[keyField];
    if (key === undefined || key === null || key === '')
      throw new UsageError(
        `stdin line ${number} has no "${keyField}" for the partition key`,
        'put',
      );
    return [{ data: line, partitionKey: typeof key === 'string' ? key : JSON.stringify(key) }];
  };
  const inputs = linesOf(input).pipe(concatMap((line) => from(toInput(line))));
  try {
    await feedSink(inputs, sink, progress, signal);
  } finally {
    client.destroy();
  }
  progress.done(` — all stored in ${stream}`);
}
