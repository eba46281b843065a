import {
  SubscribeToShardCommand,
  type SubscribeToShardCommandInput,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { Observable } from 'rxjs';
import type { KinesisPort } from '../../client/KinesisPort.js';

/** An event-stream member other than a `SubscribeToShardEvent`, raised as an error with its name. */
export class FanOutStreamError extends Error {
  constructor(
    override readonly name: string,
    override readonly cause: unknown,
  ) {
    super(`SubscribeToShard event stream sent ${name}`);
  }
}

/**
 * One SubscribeToShard call as a cold Observable of its events: the SDK's
 * async-iterable `EventStream` wrapped at the edge. Events are pulled one at
 * a time, and none while `paused()` says so (the transport's flow control
 * then holds the rest); `resume()` on the returned hook pulls again.
 * Completes when the subscription ends (the 5-minute limit); errors with
 * the call's error, or an event-stream exception member as a
 * `FanOutStreamError`. Unsubscribing closes the iterator and aborts the
 * request.
 */
export function subscribeToShardEvents(
  client: KinesisPort,
  input: SubscribeToShardCommandInput,
  paused: () => boolean,
  onPark: (resume: () => void) => void,
): Observable<NonNullable<SubscribeToShardEventStream['SubscribeToShardEvent']>> {
  return new Observable((subscriber) => {
    const controller = new AbortController();
    let iterator: AsyncIterator<SubscribeToShardEventStream> | undefined;
    let closed = false;
    const send = client.send as unknown as (
      this: KinesisPort,
      command: object,
      options: { abortSignal: AbortSignal },
    ) => PromiseLike<{ EventStream?: AsyncIterable<SubscribeToShardEventStream> }>;

    const pull = (): void => {
      if (closed || iterator === undefined) return;
      if (paused()) {
        onPark(pull);
        return;
      }
      iterator.next().then(
        (result) => {
          if (closed) return;
          if (result.done === true) {
            subscriber.complete();
            return;
          }
          const item = result.value;
          if (item.SubscribeToShardEvent !== undefined) {
            subscriber.next(item.SubscribeToShardEvent);
            pull();
            return;
          }
          const name = Object.keys(item).find((key) => key !== '$unknown') ?? 'UnknownEvent';
          subscriber.error(
            new FanOutStreamError(name, (item as unknown as Record<string, unknown>)[name]),
          );
        },
        (error: unknown) => {
          if (!closed) subscriber.error(error);
        },
      );
    };

    send.call(client, new SubscribeToShardCommand(input), { abortSignal: controller.signal }).then(
      (output) => {
        if (closed) {
          void output.EventStream?.[Symbol.asyncIterator]().return?.();
          return;
        }
        if (output.EventStream === undefined) {
          subscriber.complete();
          return;
        }
        iterator = output.EventStream[Symbol.asyncIterator]();
        pull();
      },
      (error: unknown) => {
        if (!closed) subscriber.error(error);
      },
    );

    return () => {
      closed = true;
      const open = iterator;
      iterator = undefined;
      if (open?.return !== undefined) {
        // Closed at once (the fake frees the subscription synchronously); it may reject
        // on an aborted stream, and nothing is listening any more.
        const closing = open.return() as PromiseLike<unknown> | undefined;
        closing?.then(undefined, () => undefined);
      }
      controller.abort();
    };
  });
}
