import { Observable } from 'rxjs';
import type { KinesisPort } from './KinesisPort.js';

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
 * ## Example
 * ```ts
 * import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
 * import { sendCommand } from 'rx-kinesis';
 * sendCommand(client, new GetRecordsCommand({ ShardIterator })).subscribe(console.log);
 * ```
 */
export function sendCommand<Output>(port: KinesisPort, command: object): Observable<Output> {
  return new Observable<Output>((subscriber) => {
    const controller = new AbortController();
    const send = port.send as unknown as (
      command: object,
      options: { abortSignal: AbortSignal },
    ) => PromiseLike<Output>;
    let answered = false;
    // called on the port: a real KinesisClient.send needs its `this`
    send.call(port, command, { abortSignal: controller.signal }).then(
      (output) => {
        answered = true;
        subscriber.next(output);
        subscriber.complete();
      },
      (error: unknown) => {
        answered = true;
        subscriber.error(error);
      },
    );
    return () => {
      if (!answered) controller.abort();
    };
  });
}
