import { Observable } from 'rxjs';

/**
 * A Server-Sent Events feed as an Observable of the parsed `data` of the
 * named events. The browser reconnects by itself after a network error
 * (`onStatus` says so); unsubscribing closes the connection, which the
 * server sees as the end of the feed.
 */
export function fromEventSource<T>(
  url: string,
  eventTypes: readonly string[],
  onStatus: (status: 'open' | 'reconnecting' | 'closed') => void = () => undefined,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const source = new EventSource(url);
    const listener = (event: MessageEvent<string>): void => {
      let value: T;
      try {
        value = JSON.parse(event.data) as T;
      } catch (error) {
        subscriber.error(error);
        return;
      }
      subscriber.next(value);
    };
    for (const type of eventTypes) source.addEventListener(type, listener);
    source.onopen = () => onStatus('open');
    source.onerror = () =>
      onStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    return () => {
      source.close();
      onStatus('closed');
    };
  });
}
