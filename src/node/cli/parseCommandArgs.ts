import { type ParseArgsConfig, parseArgs } from 'node:util';
import { suggestionFor } from '../../config/didYouMean.js';
import { UsageError } from './UsageError.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` for one command, with its errors in our own words: an unknown
 * flag gets a did-you-mean from the command's own flags, a flag without its
 * value says which value it needs. Throws a `UsageError` (exit code 2).
 */
export function parseCommandArgs<const O extends Options>(
  command: string,
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = (error as Error).message;
    const flags = Object.entries(options).flatMap(([name, o]) => [
      `--${name}`,
      ...(o.short !== undefined ? [`-${o.short}`] : []),
    ]);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? '?';
      const bare = flag.split('=')[0] ?? flag;
      throw new UsageError(`unknown option ${bare}${suggestionFor(bare, flags)}`, command);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /--[\w-]+/.exec(message)?.[0] ?? /-\w/.exec(message)?.[0] ?? 'an option';
      const name = flag.replace(/^-+/, '');
      const option = options[name] ?? Object.values(options).find((o) => `-${o.short}` === flag);
      throw new UsageError(
        option?.type === 'boolean'
          ? `${flag} takes no value`
          : `${flag} needs a value (${flag} <value>)`,
        command,
      );
    }
    throw error;
  }
}
