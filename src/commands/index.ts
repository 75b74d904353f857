// Every command, one file each, loaded on first invocation. Each module exports
// `run(services, ...args)`; registration (extension.ts) adds error handling and lazy services.
import type { Services } from '../services';
import type { CommandName } from './names';

export type CommandModule = { run(services: Services, ...args: unknown[]): Promise<unknown> };

// Keyed by CommandName so that the list activation registers and these modules cannot drift apart.
export const commandModules: Record<CommandName, () => Promise<CommandModule>> = {
  addConnection: () => import('./addConnection'),
  removeConnection: () => import('./removeConnection'),
  setCredentials: () => import('./setCredentials'),
  refresh: () => import('./refresh'),
  runWorkflow: () => import('./runWorkflow'),
  runPayloadFile: () => import('./runPayloadFile'),
  newPayloadFile: () => import('./newPayloadFile'),
  rerun: () => import('./rerun'),
  stopRun: () => import('./stopRun'),
  showRunDetails: () => import('./showRunDetails'),
  openRunById: () => import('./openRunById'),
  showLog: () => import('./showLog'),
  copyRunId: () => import('./copyRunId'),
  filterRuns: () => import('./filterRuns'),
  loadMore: () => import('./loadMore'),
  clearHistory: () => import('./clearHistory'),
  openInputsAsPayload: () => import('./openInputsAsPayload'),
  compareRuns: () => import('./compareRuns'),
  selectForCompare: () => import('./selectForCompare'),
  compareWithSelected: () => import('./compareWithSelected'),
  searchRuns: () => import('./searchRuns'),
  rerunTask: () => import('./rerunTask'),
  retryRun: () => import('./retryRun'),
  openWorkflowDefinition: () => import('./openWorkflowDefinition'),
};
