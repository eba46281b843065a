import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { sourceConfigFromFlinkOptions } from '../../config/sourceConfigFromFlinkOptions.js';
import { cliClient } from './cliClient.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flinkOptionsOf } from './connectionOptions.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const DELETE_STREAM_HELP = `Usage: rx-kinesis delete-stream <stream> [options]

Deletes a stream (and its records).

Options:
${CONNECTION_HELP}`;

/** `rx-kinesis delete-stream`. */
export async function deleteStream(args: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseCommandArgs('delete-stream', args, CONNECTION_OPTIONS);
  if (values.help === true) {
    out.write(`${DELETE_STREAM_HELP}\n`);
    return;
  }
  const [stream, ...extra] = positionals;
  if (stream === undefined)
    throw new UsageError('delete-stream needs a stream name', 'delete-stream');
  if (extra.length > 0)
    throw new UsageError(
      `delete-stream takes one stream, got also ${extra.join(' ')}`,
      'delete-stream',
    );
  const { config } = sourceConfigFromFlinkOptions({
    ...flinkOptionsOf(values, 'delete-stream'),
    stream,
  });
  const client = cliClient(config, process.stderr);
  try {
    await client.port.send(
      new DeleteStreamCommand({ StreamName: stream, EnforceConsumerDeletion: true }),
    );
    out.write(`deleted ${stream}\n`);
  } finally {
    client.destroy();
  }
}
