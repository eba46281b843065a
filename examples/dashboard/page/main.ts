// The dashboard page's entry: bundled for the browser by backend/pageServer.ts at start-up.
import type { PageConfig } from '../shared/feed.js';
import { startPage } from './startPage.js';

declare global {
  interface Window {
    /** The page's teardown, also run on `pagehide`; tests call it to check nothing keeps running. */
    dashboard?: { stop(): void };
  }
}

const config = (await (await fetch('/config.json')).json()) as PageConfig;
const stop = startPage(config, document);
window.dashboard = { stop };
window.addEventListener('pagehide', stop, { once: true });
