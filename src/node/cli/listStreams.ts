import { ListStreamsCommand, type ListStreamsCommandOutput } from '@aws-sdk/client-kinesis';
import { sourceConfigFromFlinkOptions } from '../../config/sourceConfigFromFlinkOptions.js';
import { cliClient } from './cliClient.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flinkOptionsOf } from './connectionOptions.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const LIST_STREAMS_HELP = `Usage: rx-kinesis list-streams [options]

Prints the name of every stream, one per line.

Options:
${CONNECTION_HELP}`;

/** `rx-kinesis list-streams`. */
export async function listStreams(args: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseCommandArgs('list-streams', args, CONNECTION_OPTIONS);
  if (values.help === true) {
    out.write(`${LIST_STREAMS_HELP}\n`);
    return;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `list-streams takes no arguments, got ${positionals.join(' ')}`,
      'list-streams',
    );
  // the config needs a stream; this one is never used
  const { config } = sourceConfigFromFlinkOptions({
    ...flinkOptionsOf(values, 'list-streams'),
    stream: '-',
  });
  const client = cliClient(config, process.stderr);
  try {
    let next: string | undefined;
    do {
      const page = (await client.port.send(
        new ListStreamsCommand(next !== undefined ? { NextToken: next } : {}),
      )) as ListStreamsCommandOutput;
      for (const name of page.StreamNames ?? []) out.write(`${name}\n`);
      next = page.HasMoreStreams === true ? page.NextToken : undefined;
    } while (next !== undefined);
  } finally {
    client.destroy();
  }
}
