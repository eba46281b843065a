#!/usr/bin/env node
import { ConfigError } from '../../client/errors.js';
import { suggestionFor } from '../../config/didYouMean.js';
import { COPY_HELP, copy } from './copy.js';
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

Run rx-kinesis <command> --help for a command's options.
Credentials and region come from the SDK's default chain (AWS_* variables, ~/.aws) unless given.`;

const COMMANDS: Record<string, { help: string; run: (args: string[]) => Promise<void> }> = {
  tail: { help: TAIL_HELP, run: (args) => tail(args, process.stdout) },
  put: { help: PUT_HELP, run: (args) => put(args, process.stdout, process.stdin) },
  copy: { help: COPY_HELP, run: (args) => copy(args, process.stdout) },
  run: { help: RUN_HELP, run: (args) => run(args, process.stdout, process.stdin) },
};

/** Runs the CLI; resolves with the exit code (0 ok, 1 failed, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
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
  try {
    await command.run(args);
    return 0;
  } catch (error) {
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
  }
}

process.exitCode = await main(process.argv.slice(2));
