// The one protocol between the run details page and the extension host:
//
//   page → host: `ready` once its listener is attached (every load, including after the panel was
//                hidden and re-shown), then `command`s from its buttons;
//   host → page: `state` with the whole view model (idempotent: each one replaces the last), or
//                `missing` when the run is not (or no longer) in the history.
//
// The two sides trust each other differently. The host never trusts what a web page posts: it
// parses page messages and a restored panel's saved state with the zod schemas of
// ./protocolSchemas.ts. The page and the host always come from the same installed extension (the
// host writes the page's HTML and script URI on every load, restored panels included), the page
// shows every value as text, and the host is the extension itself: the page only checks that a
// message has the shape it renders (parseHostMessage below), without zod, which would be two
// thirds of its bundle.
//
// No vscode import and no zod at run time here: this module is bundled into the browser page.
// The page may import from this module only; `npm run lint` keeps zod out of the page
// (.dependency-cruiser.page.cjs). The types are inferred from the schemas.
import type { HostMessage, PageCommand, Parsed, TaskCommand } from './protocolSchemas';

export type {
  CopyableTaskField,
  HostMessage,
  PageCommand,
  PageMessage,
  PanelState,
  Parsed,
  RunView,
  TaskCommand,
} from './protocolSchemas';

/**
 * Page buttons that run one of the extension's commands (docs/contract.md, "The debugging loop"),
 * with the run (and the task) as argument, exactly as from a tree row or the palette.
 */
export const workbenchCommands = {
  openInputsAsPayload: 'workflowRuns.openInputsAsPayload',
  compareWith: 'workflowRuns.compareRuns',
  retryRun: 'workflowRuns.retryRun',
  rerunTask: 'workflowRuns.rerunTask',
} as const satisfies Partial<Record<PageCommand | TaskCommand, string>>;
export type WorkbenchCommand = keyof typeof workbenchCommands;

export function isWorkbenchCommand(command: string): command is WorkbenchCommand {
  return Object.prototype.hasOwnProperty.call(workbenchCommands, command);
}

/** Commands the host forwards to `RunDetailsPanels`' `onCommand` (the copy and workbench commands never are). */
export type RunCommand = Exclude<PageCommand, 'copyOutputs' | 'copyRunId' | WorkbenchCommand>;

/** The run's text fields the page renders or saves without a fallback. */
const runTextFields = ['connection', 'runId', 'workflowId', 'workflowLabel', 'platformLabel', 'status'] as const;

/**
 * Page side: a message from the host, when it is one of the two kinds with the fields the page
 * cannot do without (the rest the host's view model guarantees, see ./viewModel.ts). Anything
 * else is refused with where it went wrong, never with the value itself.
 */
export function parseHostMessage(value: unknown): Parsed<HostMessage> {
  if (!isRecord(value)) return refused('(message): not an object');
  if (value.type === 'missing') {
    const wrong = notText(value, ['connection', 'runId']);
    return wrong ? refused(`${wrong}: not a string`) : { ok: true, value: value as HostMessage };
  }
  if (value.type !== 'state') return refused('type: neither state nor missing');
  const { run, now, revealTask } = value;
  if (!isRecord(run)) return refused('run: not an object');
  const wrong = notText(run, runTextFields);
  if (wrong) return refused(`run.${wrong}: not a string`);
  if (!isRecord(run.tasks)) return refused('run.tasks: not an object');
  if (run.timeline !== undefined && !Array.isArray(run.timeline)) return refused('run.timeline: not an array');
  if (typeof now !== 'number' || !Number.isFinite(now)) return refused('now: not a number');
  if (revealTask !== undefined && typeof revealTask !== 'string') return refused('revealTask: not a string');
  return { ok: true, value: value as HostMessage };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first of `keys` whose value is not a string. */
function notText(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.find((key) => typeof value[key] !== 'string');
}

function refused(error: string): Parsed<never> {
  return { ok: false, error };
}
