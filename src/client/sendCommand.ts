import { Observable, type SchedulerLike } from 'rxjs';
import type { KinesisPort } from './KinesisPort.js';
import { RequestTimeoutError } from './RequestTimeoutError.js';

/** A per-request timeout: after `ms` on `scheduler` the request is aborted. */
export interface RequestTimeout {
  readonly ms: number;
  readonly scheduler: SchedulerLike;
}

/** Anything with the SDK command shape whose result type we know. */
export interface CommandOf<Output> {
  readonly input: object;
  /** Phantom marker so the output type travels with the command. */
  readonly __rxKinesisOutput?: Output;
}

/**
 * One Kinesis call as a cold Observable: sends on subscribe, emits the
 * response once and completes; unsubscribing aborts the request.
 *
 * The port may answer with a synchronous thenable (the in-memory fake does),
 * in which case the response is emitted synchronously: that keeps marble
 * tests in virtual time.
 *
 * With `timeout`, a request with no answer after `timeout.ms` (a timer on
 * `timeout.scheduler`) is aborted through its AbortSignal and fails with a
 * `RequestTimeoutError`, which `classifyError` calls retryable.
 *
 * ## Example
 * ```ts
 * import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
 * import { sendCommand } from 'rx-kinesis';
 * sendCommand(client, new GetRecordsCommand({ ShardIterator })).subscribe(console.log);
 * ```
 */
export function sendCommand<Output>(
  port: KinesisPort,
  command: object,
  timeout?: RequestTimeout,
): Observable<Output> {
  return new Observable<Output>((subscriber) => {
    const controller = new AbortController();
    const send = port.send as unknown as (
      command: object,
      options: { abortSignal: AbortSignal },
    ) => PromiseLike<Output>;
    let answered = false;
    const timer =
      timeout === undefined
        ? undefined
        : timeout.scheduler.schedule(() => {
            if (answered) return;
            answered = true;
            controller.abort();
            subscriber.error(new RequestTimeoutError(operationOf(command), timeout.ms));
          }, timeout.ms);
    // called on the port: a real KinesisClient.send needs its `this`
    send.call(port, command, { abortSignal: controller.signal }).then(
      (output) => {
        if (answered) return; // timed out already
        answered = true;
        timer?.unsubscribe();
        subscriber.next(output);
        subscriber.complete();
      },
      (error: unknown) => {
        if (answered) return;
        answered = true;
        timer?.unsubscribe();
        subscriber.error(error);
      },
    );
    return () => {
      timer?.unsubscribe();
      if (!answered) controller.abort();
    };
  });
}

/** `PutRecords` for a `PutRecordsCommand`. */
function operationOf(command: object): string {
  const name = command.constructor.name;
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}
