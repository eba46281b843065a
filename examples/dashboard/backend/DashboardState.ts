import * as t from 'io-ts';
import { type CheckpointState, emptyCheckpointState } from '../../../src/index.js';

/** The open event-time windows: window start (ms) → behavior → count so far. */
export const WindowState = t.readonly(
  t.type({
    /** The watermark the windows were closed up to; null before the first. */
    watermark: t.union([t.number, t.null]),
    open: t.record(t.string, t.record(t.string, t.number)),
  }),
);
export type WindowState = t.TypeOf<typeof WindowState>;

/**
 * Everything the backend needs to resume, as one JSON value: where the reader
 * is (the checkpoint, over every record read) and the counts of the windows
 * those records went into that are not closed yet. Saved together, so a
 * record is either in a closed (written) window or in `windows.open`: never
 * counted twice into an open window, never lost.
 */
export interface DashboardState {
  readonly version: 1;
  readonly checkpoint: CheckpointState;
  readonly windows: WindowState;
}

/** The state of a backend that has read nothing yet. */
export const emptyDashboardState = (): DashboardState => ({
  version: 1,
  checkpoint: emptyCheckpointState(),
  windows: { watermark: null, open: {} },
});
