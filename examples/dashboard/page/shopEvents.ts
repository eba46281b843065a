import {
  EMPTY,
  type Observable,
  fromEvent,
  interval,
  map,
  merge,
  startWith,
  switchMap,
} from 'rxjs';
import type { Behavior, ShopEvent } from '../shared/feed.js';

const USERS = 8;

function eventFor(behavior: Behavior, user: number): ShopEvent {
  const item = 1 + Math.floor(Math.random() * 50);
  return { user_id: user, item_id: item, category_id: 1 + (item % 5), behavior, ts: Date.now() };
}

// Shoppers mostly look; some add to cart or favourite; few buy.
function simulatedBehavior(): Behavior {
  const r = Math.random();
  return r < 0.7 ? 'pv' : r < 0.85 ? 'cart' : r < 0.95 ? 'fav' : 'buy';
}

/**
 * The shop's events: one per click of a `[data-behavior]` button (a random
 * user of eight), plus, while the `simulate` checkbox is on, simulated users
 * clicking through the shop.
 */
export function shopEvents(root: Document): Observable<ShopEvent> {
  const clicks = Array.from(root.querySelectorAll<HTMLButtonElement>('button[data-behavior]')).map(
    (button) =>
      fromEvent(button, 'click').pipe(
        map(() =>
          eventFor(button.dataset['behavior'] as Behavior, 1 + Math.floor(Math.random() * USERS)),
        ),
      ),
  );
  const toggle = root.querySelector<HTMLInputElement>('#simulate');
  const simulated =
    toggle === null
      ? EMPTY
      : fromEvent(toggle, 'change').pipe(
          startWith(null),
          switchMap(() =>
            toggle.checked
              ? interval(150).pipe(
                  map(() => eventFor(simulatedBehavior(), 1 + Math.floor(Math.random() * USERS))),
                )
              : EMPTY,
          ),
        );
  return merge(...clicks, simulated);
}
