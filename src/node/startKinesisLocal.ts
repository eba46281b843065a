import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { freePort } from './freePort.js';
import { resolveOptional } from './resolveOptional.js';

/** A running kinesis-local (kinesis-mock) server. */
export interface KinesisLocal {
  /** Plain HTTP endpoint (HTTP/1.1), e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** TLS endpoint (HTTP/1.1 or HTTP/2, self-signed certificate). */
  readonly tlsEndpoint: string;
  readonly process: ChildProcess;
  /** Kills the server (SIGKILL: on SIGTERM it waits 30 s for clients). */
  stop(): Promise<void>;
}

export interface KinesisLocalOptions {
  /** Extra environment for the server, e.g. `{ SHARD_LIMIT: '100' }`. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the server to answer, in ms. Default 30,000. */
  readonly startTimeoutMs?: number;
}

// Pins every listen() of the server to the loopback interface (it has no host setting).
const PIN_LOOPBACK = `
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') return listen.call(this, args[0], '127.0.0.1', ...args.slice(1).filter((a) => typeof a !== 'string'));
  if (args[0] && typeof args[0] === 'object' && !Array.isArray(args[0])) return listen.call(this, { ...args[0], host: '127.0.0.1' }, ...args.slice(1));
  return listen.apply(this, args);
};
require(process.env.RX_KINESIS_MOCK_MAIN);
`;

function waitForPort(port: number, deadline: number, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`kinesis-local exited with code ${child.exitCode} before listening`));
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`kinesis-local did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts kinesis-local (kinesis-mock from npm) on free loopback ports with
 * instant stream operations, and resolves once it answers.
 *
 * ## Example
 * ```ts
 * import { startKinesisLocal } from 'rx-kinesis/node';
 * const server = await startKinesisLocal();
 * // ... use server.endpoint ...
 * await server.stop();
 * ```
 */
export async function startKinesisLocal(options: KinesisLocalOptions = {}): Promise<KinesisLocal> {
  const main = resolveOptional('kinesis-local/main.js', 'startKinesisLocal');
  const [plainPort, tlsPort] = await Promise.all([freePort(), freePort()]);
  const child = spawn(process.execPath, ['-e', PIN_LOOPBACK], {
    cwd: dirname(main),
    env: {
      ...process.env,
      RX_KINESIS_MOCK_MAIN: main,
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      CREATE_STREAM_DURATION: '0ms',
      DELETE_STREAM_DURATION: '0ms',
      SPLIT_SHARD_DURATION: '0ms',
      MERGE_SHARDS_DURATION: '0ms',
      UPDATE_SHARD_COUNT_DURATION: '0ms',
      REGISTER_STREAM_CONSUMER_DURATION: '0ms',
      DEREGISTER_STREAM_CONSUMER_DURATION: '0ms',
      LOG_LEVEL: 'WARN',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString();
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  };
  try {
    await waitForPort(plainPort, Date.now() + (options.startTimeoutMs ?? 30_000), child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint: `http://127.0.0.1:${plainPort}`,
    tlsEndpoint: `https://127.0.0.1:${tlsPort}`,
    process: child,
    stop,
  };
}
