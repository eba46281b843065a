import { type SchedulerLike, asyncScheduler } from 'rxjs';
import type { ShardCallGate } from './callGate.js';

/** The part of an SDK v3 command this needs: its own middleware stack. */
interface CommandWithStack {
  readonly middlewareStack?: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'finalizeRequest'; priority: 'low'; name: string },
    ): void;
  };
}

/**
 * Puts every SDK-internal retry of `command` through `gate`: a middleware on
 * the command's own stack (not the client's), inside the SDK's retry loop, so
 * each attempt after the first waits for its slot on `scheduler` and marks
 * it. The first attempt already went through the gate before `send`. A client
 * we create has `maxAttempts: 1` and never gets there; a client passed in
 * with SDK retries on keeps the shard's spacing this way. A command without a
 * middleware stack (the in-memory fake's port ignores it) is left as it is.
 *
 * ## Example
 * ```ts
 * import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
 * import { callGate, gateSdkAttempts } from 'rx-kinesis';
 * const command = gateSdkAttempts(new GetRecordsCommand({ ShardIterator }), callGate());
 * ```
 *
 * @param command an SDK command
 * @param gate the shard's call gate
 * @param scheduler where the waits run; defaults to `asyncScheduler`
 * @returns the same command
 */
export function gateSdkAttempts<C extends object>(
  command: C,
  gate: ShardCallGate,
  scheduler: SchedulerLike = asyncScheduler,
): C {
  const stack = (command as CommandWithStack).middlewareStack;
  if (stack === undefined || typeof stack.add !== 'function') return command;
  let attempts = 0;
  stack.add(
    (next) => async (args) => {
      attempts += 1;
      if (attempts > 1) {
        for (let wait = gate.wait(); wait > 0; wait = gate.wait()) {
          await new Promise<void>((resolve) => scheduler.schedule(() => resolve(), wait));
        }
        gate.take();
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'rxKinesisShardCallGate' },
  );
  return command;
}
