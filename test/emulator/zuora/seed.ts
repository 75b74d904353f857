// The demo Zuora tenant: 56 workflow definitions, so `GET /workflows?page_length=50` has two pages.
//
// Featured workflows (ids are fixed; tests may rely on them):
//   19027 "Invoice sync to NetSuite"          5 tasks, all succeed (~7 s at speed 1)
//   19028 "Payment run reconciliation"        6 tasks, 2 end in Error → Finished with tasks.error = 2
//   19029 "Account onboarding"                requires the parameter `accountNumber` (406 without it)
//   19030 "Usage rating backfill"             12 tasks × 5 s: runs ≥ 60 s at speed 1 (stop tests)
//   19031 `<img src=x onerror=alert(1)> Billing <b>run</b>`  (HTML in the name; 3 tasks, succeeds)
//   19032 "Nightly usage upload"              callout trigger DISABLED (callout endpoints answer 400)
//   19033 "Bulk usage import"                 5,000 tasks × 200 ms, one in 500 ends in Error (50 task
//                                             pages; the bench follows it at a high speed)
// Callout trigger: enabled on 19027–19031 and on every even-numbered filler; disabled on 19032 and
// on odd fillers. On-demand trigger: enabled everywhere. Fillers are ids 19040–19089.

export type ZuoraTaskStatus = 'Queued' | 'Processing' | 'Pending' | 'Success' | 'Stopped' | 'Error';

export interface ZuoraTaskPlan {
  name: string;
  action_type: string;
  call_type: string;
  object: string;
  tags: string[];
  /** Emulated milliseconds the task runs. */
  durationMs: number;
  /** The error text when the task ends in Error. */
  error?: string;
  /** The task's configuration, as `GET /workflows/tasks` lists it in `parameters`. */
  parameters?: Record<string, unknown>;
}

export interface ZuoraWorkflow {
  id: number;
  name: string;
  description: string;
  status: 'Active' | 'Inactive';
  activeVersion: { id: number; version: string; description: string };
  calloutTrigger: boolean;
  ondemandTrigger: boolean;
  scheduledTrigger: boolean;
  interval: string | null;
  timezone: string;
  createdAt: string;
  updatedAt: string;
  requiredParameters: string[];
  /** Emulated milliseconds a run stays Queued. */
  queueMs: number;
  tasks: ZuoraTaskPlan[];
}

const task = (name: string, action_type: string, object: string, durationMs: number, extra: Partial<ZuoraTaskPlan> = {}): ZuoraTaskPlan => ({
  name,
  action_type,
  call_type: action_type === 'Callout' ? 'HTTP' : action_type.startsWith('Logic') ? 'LOGIC' : 'SOAP',
  object,
  tags: [],
  durationMs,
  ...extra,
});

function definition(id: number, name: string, fields: Partial<ZuoraWorkflow> & { tasks: ZuoraTaskPlan[] }): ZuoraWorkflow {
  const created = new Date(Date.UTC(2024, 0, 8) + (id - 19000) * 86_400_000 * 3);
  const updated = new Date(created.getTime() + 86_400_000 * 40 + (id % 7) * 3_600_000);
  return {
    id,
    name,
    description: '',
    status: 'Active',
    activeVersion: { id: id + 50_000, version: `1.${id % 5}.${id % 3}`, description: 'Published from the workflow editor' },
    calloutTrigger: true,
    ondemandTrigger: true,
    scheduledTrigger: false,
    interval: null,
    timezone: 'America/Los_Angeles',
    createdAt: created.toISOString(),
    updatedAt: updated.toISOString(),
    requiredParameters: [],
    queueMs: 1000,
    ...fields,
  };
}

const featured: ZuoraWorkflow[] = [
  definition(19027, 'Invoice sync to NetSuite', {
    description: 'Exports posted invoices and pushes them to NetSuite as sales orders.',
    tasks: [
      task('Query posted invoices', 'Export', 'Invoice', 1500, { tags: ['export'] }),
      task('Transform to sales orders', 'Logic::Liquid', 'Invoice', 800),
      task('Post to NetSuite', 'Callout', 'Invoice', 2000, { tags: ['netsuite'] }),
      task('Mark invoices synced', 'Update', 'Invoice', 1000),
      task('Notify billing team', 'Email', 'Invoice', 500, { tags: ['notify'] }),
    ],
  }),
  definition(19028, 'Payment run reconciliation', {
    description: 'Matches gateway settlements with payments; some lookups fail.',
    tasks: [
      task('Fetch settlement report', 'Callout', 'Payment', 1200),
      task('Query payments', 'Export', 'Payment', 1000),
      task('Match settlements', 'Logic::Case', 'Payment', 700),
      task('Apply unmatched credits', 'Create', 'CreditMemo', 900, { error: 'INVALID_VALUE: The account 2c92c0f9 has no default payment method.' }),
      task('Update payment status', 'Update', 'Payment', 800),
      task('Post journal entries', 'Callout', 'JournalEntry', 900, { error: 'Callout to https://erp.example.com/journal failed with HTTP 503.' }),
    ],
  }),
  definition(19029, 'Account onboarding', {
    description: 'Creates the welcome subscription for one account. Needs accountNumber.',
    requiredParameters: ['accountNumber'],
    tasks: [
      task('Look up account', 'Query', 'Account', 800),
      task('Create subscription', 'Create', 'Subscription', 1500),
      task('Send welcome email', 'Email', 'Account', 600),
    ],
  }),
  definition(19030, 'Usage rating backfill', {
    description: 'Re-rates a month of usage, day by day. Slow on purpose.',
    tasks: Array.from({ length: 12 }, (_, i) => task(`Rate usage batch ${i + 1}`, i % 2 === 0 ? 'Export' : 'Update', 'Usage', 5000)),
  }),
  definition(19031, '<img src=x onerror=alert(1)> Billing <b>run</b>', {
    description: 'A name with markup: it must be shown as text, never rendered.',
    tasks: [
      task('<script>alert(1)</script> Query', 'Export', 'Account', 700),
      task('Bill run', 'Create', 'BillRun', 1200),
      task('Email "statements" & <links>', 'Email', 'Invoice', 500),
    ],
  }),
  definition(19032, 'Nightly usage upload', {
    description: 'Scheduled upload of the usage file; callout trigger disabled.',
    calloutTrigger: false,
    scheduledTrigger: true,
    interval: '0 2 * * *',
    tasks: [task('Download usage file', 'Callout', 'Usage', 1000), task('Import usage', 'Create', 'Usage', 1500)],
  }),
  definition(19033, 'Bulk usage import', {
    description: 'Imports usage records one batch per task: 5,000 tasks.',
    tasks: Array.from({ length: 5000 }, (_, i) =>
      task(`Import usage batch ${i + 1}`, 'Create', 'Usage', 200, {
        parameters: { object: 'Usage', batch: i + 1, records: 100 },
        ...(i % 500 === 499 ? { error: `Batch ${i + 1}: INVALID_VALUE: unknown account A-${10_000 + i}.` } : {}),
      }),
    ),
  }),
];

const verbs = ['Sync', 'Export', 'Reconcile', 'Refresh', 'Archive', 'Audit', 'Notify about', 'Backfill', 'Validate', 'Enrich'];
const objects = ['subscriptions', 'invoices', 'payments', 'credit memos', 'usage', 'accounts', 'contacts', 'orders', 'products', 'rate plans'];
const targets = ['Salesforce', 'NetSuite', 'Snowflake', 'HubSpot', 'Slack', 'S3', 'Avalara', 'Workday'];

function fillers(): ZuoraWorkflow[] {
  const out: ZuoraWorkflow[] = [];
  for (let i = 0; i < 50; i += 1) {
    const id = 19040 + i;
    const verb = verbs[i % verbs.length]!;
    const object = objects[(i * 3) % objects.length]!;
    const target = targets[(i * 5) % targets.length]!;
    const scheduled = i % 4 === 1;
    out.push(
      definition(id, `${verb} ${object} ${verb === 'Notify about' ? 'in' : 'to'} ${target}`, {
        description: `${verb} ${object} with ${target}.`,
        status: i % 9 === 8 ? 'Inactive' : 'Active',
        calloutTrigger: id % 2 === 0,
        scheduledTrigger: scheduled,
        interval: scheduled ? `0 ${i % 24} * * *` : null,
        tasks: [
          task(`Query ${object}`, 'Export', capital(object), 800 + (i % 4) * 300),
          task(`Send ${object} to ${target}`, 'Callout', capital(object), 1200),
          task('Record result', 'Update', capital(object), 600),
        ],
      }),
    );
  }
  return out;
}

function capital(object: string): string {
  return object
    .replace(/s$/, '')
    .split(' ')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

export function seedZuoraWorkflows(): ZuoraWorkflow[] {
  return [...featured, ...fillers()];
}

/** Parameter names Zuora reserves (400 when sent). */
export const reservedParameters = ['controller', 'action', 'id', 'user_email', 'user_token', 'format'];
