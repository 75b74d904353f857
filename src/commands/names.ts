// The command ids without their modules: activation registers every command from this list while
// the modules themselves live in the services bundle (commands/index.ts), loaded on first use.
export const commandNames = [
  'addConnection',
  'removeConnection',
  'setCredentials',
  'refresh',
  'runWorkflow',
  'runPayloadFile',
  'newPayloadFile',
  'rerun',
  'stopRun',
  'showRunDetails',
  'openRunById',
  'showLog',
  'copyRunId',
  'filterRuns',
  'loadMore',
  'clearHistory',
  'openInputsAsPayload',
  'compareRuns',
  'selectForCompare',
  'compareWithSelected',
  'searchRuns',
  'rerunTask',
  'retryRun',
  'openWorkflowDefinition',
] as const;

export type CommandName = (typeof commandNames)[number];
