// Where the run history lived in global state until 0.1. The store moves it to files under the
// global storage on first load (see store.ts); activation reads runs/inFlightFlag.ts instead.

/** Global-state key of the 0.1 run history (read once, for the migration). */
export const historyKey = 'workflowRuns.history.v1';
