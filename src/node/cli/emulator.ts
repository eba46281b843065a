import { fromEvent, firstValueFrom } from 'rxjs';
import { startKinesisLocal } from '../startKinesisLocal.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const EMULATOR_HELP = `Usage: rx-kinesis emulator [options]

Starts a local Kinesis (kinesis-local) on free loopback ports, prints its endpoint and the
environment to use it with, and runs until Ctrl-C. Needs the package kinesis-local
(npm install --save-dev kinesis-local).

Options:
  --shard-limit <n>           shards allowed per account (default 50)
  -h, --help                  this help`;

/** The variables that point the CLI (and the AWS SDK) at a local endpoint. */
export function localEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_KINESIS: endpoint,
    AWS_REGION: 'us-east-1',
    // any keys work on the emulator; a 12-digit key id is its own account there
    AWS_ACCESS_KEY_ID: '000000000000',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

/** `rx-kinesis emulator`: a local Kinesis until Ctrl-C. */
export async function emulator(
  args: string[],
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<void> {
  const { values, positionals } = parseCommandArgs('emulator', args, {
    'shard-limit': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    out.write(`${EMULATOR_HELP}\n`);
    return;
  }
  if (positionals.length > 0)
    throw new UsageError(`emulator takes no arguments, got ${positionals.join(' ')}`, 'emulator');
  const limit = values['shard-limit'];
  if (limit !== undefined && !/^[1-9]\d*$/.test(limit))
    throw new UsageError(`--shard-limit expects a positive integer, got "${limit}"`, 'emulator');
  const server = await startKinesisLocal(
    limit !== undefined ? { env: { SHARD_LIMIT: limit } } : {},
  );
  try {
    const env = localEnvironment(server.endpoint);
    out.write(
      [
        `kinesis-local is running at ${server.endpoint} (TLS: ${server.tlsEndpoint}, self-signed)`,
        '',
        'In another shell:',
        ...Object.entries(env).map(([key, value]) => `  export ${key}=${value}`),
        '  npx rx-kinesis create-stream demo --shards 2',
        '  echo hello | npx rx-kinesis put demo',
        '  npx rx-kinesis tail demo --from trim_horizon',
        '',
        'In code: createKinesisClient({ endpoint, region, credentials }) with the values above.',
        'Ctrl-C stops it (its streams live in memory only).',
        '',
      ].join('\n'),
    );
    const exited = new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
    if (signal !== undefined && !signal.aborted)
      await Promise.race([firstValueFrom(fromEvent(signal, 'abort')), exited]);
    else if (signal === undefined) await exited;
  } finally {
    await server.stop();
  }
}
