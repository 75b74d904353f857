// Where the run history lives in global state. Its own tiny module so activation can peek at the
// history (are runs in flight?) without loading the store and its schemas.

/** Global-state key of the run history; the version changes if the stored shape ever does. */
export const historyKey = 'workflowRuns.history.v1';
