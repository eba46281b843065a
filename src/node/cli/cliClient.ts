import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { classifyError } from '../../client/classifyError.js';
import { createKinesisClient } from '../../client/createKinesisClient.js';
import { errorText } from '../../client/errors.js';
import type { KinesisPort } from '../../client/KinesisPort.js';
import type { ClientConfig } from '../../config/ClientConfig.js';

/** The client a command uses, and how to let the process go when done. */
export interface CliClient {
  readonly port: KinesisPort;
  /** Closes its connections (a command must end with this, or the process stays up). */
  destroy(): void;
}

/**
 * The command's Kinesis client, which tells the user about trouble at once:
 * the first retryable failure (an unreachable endpoint, throttling, a 5xx)
 * prints one `retrying …` line on `err`, instead of silence while the
 * retries run.
 */
export function cliClient(config: ClientConfig, err: NodeJS.WritableStream): CliClient {
  const client = createKinesisClient({ ...config, client: undefined }) as KinesisClient;
  let told = false;
  const send = client.send.bind(client) as (command: object, options?: object) => Promise<unknown>;
  const port = {
    send: (command: object, options?: object) =>
      send(command, options).catch((error: unknown) => {
        if (!told && classifyError(error) === 'retryable') {
          told = true;
          const operation = command.constructor.name.replace(/Command$/, '');
          const where = config.endpoint !== undefined ? ` at ${config.endpoint}` : '';
          err.write(`retrying ${operation}${where} (${errorText(error)}) …\n`);
        }
        throw error;
      }),
  } as unknown as KinesisPort;
  return { port, destroy: () => client.destroy() };
}
