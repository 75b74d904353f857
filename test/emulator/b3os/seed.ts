// The demo B3OS organisation: 28 workflows (statuses draft/active/paused/archived), listed newest
// first. Featured ones (ids fixed; the first listed is a plain active workflow that succeeds):
//   wf_9k2m4x7q1b3n  "Treasury rebalance alert"   active   normal: 5 nodes, one skipped (if/else)
//   wf_3f8d1c6a0e5t  "Swap USDC to ETH on Base"   active   fails at the swap node
//   wf_7h2j5l9p4r8w  "Daily portfolio digest"     active   slow: ≥ 60 s at speed 1 (a node scheduled 30 s)
//   wf_1q6w3e8r5t2y  "Wait for payment, then ship" active  waits: a node `waiting`, run `waiting` until cancelled
//   wf_5u0i7o2p9a4s  "Legacy airdrop"             archived (run → 400)
//   wf_8d3f6g1h4j7k  `<img src=x onerror=alert(1)> Swap <b>bot</b>`  active, HTML in the name
//   wf_2z5x8c1v4b7n  "Webhook to Slack relay"     paused (still runnable, as the B3OS docs say)
//   wf_6m9n2b5v8c1x  "NFT mint watcher"           draft
// Any run's behaviour can be forced with `payload.scenario`: "normal" | "fail" | "slow" | "wait".

export type Behaviour = 'normal' | 'fail' | 'slow' | 'wait';
export const behaviours: readonly Behaviour[] = ['normal', 'fail', 'slow', 'wait'];

export type WorkflowStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface B3Workflow {
  id: string;
  name: string;
  description: string;
  status: WorkflowStatus;
  version: number;
  type: string;
  triggerName: string;
  hasDraft: boolean;
  hasLiveVersion: boolean;
  maxRuns: number;
  remainRuns: number;
  cooldownMs: number;
  lastTriggeredAt?: string;
  createdAt: string;
  updatedAt: string;
  behaviour: Behaviour;
  chainIds: number[];
  connectors: string[];
}

export const organizationId = 'org_2b7c9e1d4f6a';
export const creator = 'user_8f3a1c5e7b9d';

const featured: Array<Partial<B3Workflow> & Pick<B3Workflow, 'id' | 'name' | 'behaviour'>> = [
  { id: 'wf_9k2m4x7q1b3n', name: 'Treasury rebalance alert', behaviour: 'normal', description: 'Checks the treasury split and alerts Slack when it drifts.', connectors: ['slack'] },
  { id: 'wf_3f8d1c6a0e5t', name: 'Swap USDC to ETH on Base', behaviour: 'fail', description: 'Swaps a fixed USDC amount to ETH; the wallet is empty, so it fails.', chainIds: [8453], connectors: ['turnkey'] },
  { id: 'wf_7h2j5l9p4r8w', name: 'Daily portfolio digest', behaviour: 'slow', description: 'Waits for the markets to settle, aggregates balances, emails a digest.', type: 'cronjob', triggerName: 'Every day at 08:00' },
  { id: 'wf_1q6w3e8r5t2y', name: 'Wait for payment, then ship', behaviour: 'wait', description: 'Pauses until a payment arrives, then creates the shipment.', type: 'webhook', triggerName: 'Webhook' },
  { id: 'wf_5u0i7o2p9a4s', name: 'Legacy airdrop', behaviour: 'normal', status: 'archived', description: 'Archived: kept for its run history.' },
  { id: 'wf_8d3f6g1h4j7k', name: '<img src=x onerror=alert(1)> Swap <b>bot</b>', behaviour: 'normal', description: 'A name with markup: show it as text.' },
  { id: 'wf_2z5x8c1v4b7n', name: 'Webhook to Slack relay', behaviour: 'normal', status: 'paused', hasDraft: true, type: 'webhook', triggerName: 'Webhook', connectors: ['slack'] },
  { id: 'wf_6m9n2b5v8c1x', name: 'NFT mint watcher', behaviour: 'normal', status: 'draft', hasLiveVersion: false, type: 'evm-log', triggerName: 'Transfer events', chainIds: [1, 8453] },
];

const fillerNames = [
  'Rebalance stablecoins weekly', 'Notify on large inbound transfer', 'Polymarket odds tracker', 'Gas price watcher', 'Invoice paid → mint receipt NFT',
  'Telegram price bot', 'Shopify order → USDC refund', 'Ramp card spend digest', 'ERC20 receive logger', 'Anyspend checkout monitor',
  'Slack reaction to task', 'Email parser for receipts', 'Bridge ETH to Base nightly', 'Top up hot wallet', 'Vesting unlock reminder',
  'DAO proposal alerts', 'Uniswap LP fee harvest', 'Sanctions list screen', 'Treasury yield report', 'Cold wallet heartbeat',
];
const fillerTypes = ['manual', 'webhook', 'cronjob', 'evm-log', 'schedule', 'telegram-channel', 'erc20-receive', 'slack-mentions'];
const statuses: WorkflowStatus[] = ['active', 'draft', 'paused', 'archived'];

export function seedB3osWorkflows(): B3Workflow[] {
  const base = Date.UTC(2025, 5, 20, 12, 0, 0);
  const out: B3Workflow[] = [];
  const add = (entry: Partial<B3Workflow> & Pick<B3Workflow, 'id' | 'name' | 'behaviour'>, index: number): void => {
    const updated = base - index * 5_400_000;
    const status = entry.status ?? 'active';
    out.push({
      description: '',
      status,
      version: 1 + (index % 4),
      type: 'manual',
      triggerName: 'Manual trigger',
      hasDraft: false,
      hasLiveVersion: status !== 'draft',
      maxRuns: 0,
      remainRuns: 0,
      cooldownMs: index % 3 === 0 ? 60_000 : 0,
      createdAt: new Date(updated - 30 * 86_400_000).toISOString(),
      updatedAt: new Date(updated).toISOString(),
      chainIds: [],
      connectors: [],
      ...entry,
      lastTriggeredAt: status === 'draft' ? undefined : new Date(updated + 3_600_000).toISOString(),
    });
  };
  featured.forEach((entry, i) => add(entry, i));
  fillerNames.forEach((name, i) => {
    const status = statuses[i % statuses.length]!;
    add({ id: `wf_${(0x1f2e3d + i * 7919).toString(36).padStart(5, '0')}f${i.toString(36)}x${(i * 31).toString(36)}`, name, behaviour: 'normal', status, type: fillerTypes[i % fillerTypes.length]! }, featured.length + i);
  });
  return out;
}
