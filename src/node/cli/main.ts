#!/usr/bin/env node
import { ConfigError } from '../../client/errors.js';
import { suggestionFor } from '../../config/didYouMean.js';
import { COPY_HELP, copy } from './copy.js';
import { CREATE_STREAM_HELP, createStream } from './createStream.js';
import { DELETE_STREAM_HELP, deleteStream } from './deleteStream.js';
import { EMULATOR_HELP, emulator } from './emulator.js';
import { LIST_STREAMS_HELP, listStreams } from './listStreams.js';
import { PUT_HELP, put } from './put.js';
import { RUN_HELP, run } from './run.js';
import { TAIL_HELP, tail } from './tail.js';
import { UsageError } from './UsageError.js';

const HELP = `Usage: rx-kinesis <command> [options]

Amazon Kinesis Data Streams from the shell, on rx-kinesis.

Commands:
  tail <stream>               print a stream's records (from any position, raw/json/base64, --follow)
  put <stream>                write stdin lines as records
  copy <from> <to>            copy a stream into another, keys kept
  run <module.yaml>           run a Stateful Functions module: ingresses to stdout, stdin to an egress
  create-stream <stream>      create a stream (--shards n) and wait until it is active
  list-streams                list the streams
  delete-stream <stream>      delete a stream
  emulator                    start a local Kinesis and print the environment to use it

Run rx-kinesis <command> --help for a command's options.
Credentials and region come from the SDK's default chain (AWS_* variables, ~/.aws) unless given;
the endpoint from --endpoint or AWS_ENDPOINT_URL_KINESIS.

Local work: \`rx-kinesis emulator\` in one shell, then the exports it prints in another.`;

const COMMANDS: Record<
  string,
  { help: string; run: (args: string[], signal: AbortSignal) => Promise<void> }
> = {
  tail: { help: TAIL_HELP, run: (args, signal) => tail(args, process.stdout, signal) },
  put: { help: PUT_HELP, run: (args, signal) => put(args, process.stdout, process.stdin, signal) },
  copy: { help: COPY_HELP, run: (args, signal) => copy(args, process.stdout, signal) },
  run: {
    help: RUN_HELP,
    run: (args, signal) => run(args, process.stdout, process.stdin, signal),
  },
  'create-stream': { help: CREATE_STREAM_HELP, run: (args) => createStream(args, process.stdout) },
  'list-streams': { help: LIST_STREAMS_HELP, run: (args) => listStreams(args, process.stdout) },
  'delete-stream': { help: DELETE_STREAM_HELP, run: (args) => deleteStream(args, process.stdout) },
  emulator: { help: EMULATOR_HELP, run: (args, signal) => emulator(args, process.stdout, signal) },
};

/** Runs the CLI; resolves with the exit code (0 ok, 1 failed, 2 bad input, 130 interrupted). */
export async function main(argv: string[]): Promise<number> {
  // The SDK's multi-line note about future Node versions is not this tool's output.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(
      `rx-kinesis: unknown command "${name}"${suggestionFor(name, Object.keys(COMMANDS))}\n\n${HELP}\n`,
    );
    return 2;
  }
  // Ctrl-C (or SIGTERM) aborts the sink: in-flight requests are aborted and the source stops.
  // A second Ctrl-C is Node's default (exit at once).
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await command.run(args, interrupt.signal);
    return interrupt.signal.aborted ? 130 : 0;
  } catch (error) {
    if (interrupt.signal.aborted && (error as { name?: unknown }).name === 'SinkAbortedError') {
      process.stderr.write(
        `\nrx-kinesis ${name}: interrupted; records not yet acknowledged may not be stored\n`,
      );
      return 130;
    }
    const code = (error as { code?: unknown }).code;
    if (
      error instanceof UsageError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(
        `rx-kinesis ${name}: ${(error as Error).message}\nRun rx-kinesis ${name} --help for usage.\n`,
      );
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`rx-kinesis ${name}: bad configuration:\n${error.message}\n`);
      return 2;
    }
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`rx-kinesis ${name}: ${text}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main(process.argv.slice(2));
