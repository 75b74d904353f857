// The node graph of a B3OS run for each behaviour. The root node (type "manual") succeeds at once;
// the rest run one after another. Durations are emulated ms at speed 1.

import type { Behaviour } from './seed';

export interface NodePlan {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  durationMs: number;
  /** ms the node sits `scheduled` before it runs (delay nodes). */
  scheduledMs?: number;
  outcome: 'success' | 'failure' | 'skipped' | 'waiting';
  result?: Record<string, unknown>;
  error?: string;
  /** Compute units it costs. */
  cu: number;
  /** Keys of `payload` that hold connector secrets (B3OS lists them in `secretKeys` for masking). */
  secretKeys?: string[];
}

export function planFor(behaviour: Behaviour): NodePlan[] {
  switch (behaviour) {
    case 'normal':
      return [
        { id: 'fetch_price', type: 'http-request', payload: { url: 'https://api.coinbase.com/v2/prices/ETH-USD/spot' }, durationMs: 800, outcome: 'success', result: { amount: '3412.55', currency: 'USD' }, cu: 0.02 },
        { id: 'check_drift', type: 'if', payload: { condition: '{{fetch_price.amount}} > 3000' }, durationMs: 200, outcome: 'success', result: { branch: 'then' }, cu: 0.01 },
        { id: 'send_slack', type: 'slack-send-message', payload: { channel: '#treasury', text: 'ETH above 3000: rebalance suggested', botToken: 'xoxb-emulated-connector-secret' }, secretKeys: ['botToken'], durationMs: 1000, outcome: 'success', result: { ok: true, ts: '1718900000.000100' }, cu: 0.05 },
        { id: 'send_email', type: 'send-email', payload: { to: 'ops@example.com' }, durationMs: 0, outcome: 'skipped', cu: 0 },
        { id: 'store_result', type: 'set-storage', payload: { key: 'lastRebalanceCheck' }, durationMs: 300, outcome: 'success', result: { stored: true }, cu: 0.01 },
      ];
    case 'fail':
      return [
        { id: 'fetch_balance', type: 'get-erc20-balance', payload: { token: 'USDC', chainId: 8453 }, durationMs: 700, outcome: 'success', result: { balance: '0.42' }, cu: 0.02 },
        { id: 'swap', type: 'swap-tokens', payload: { from: 'USDC', to: 'ETH', amount: '10' }, durationMs: 1200, outcome: 'failure', error: 'insufficient funds: balance 0.42 USDC is below the 10 USDC swap amount', cu: 0.08 },
        { id: 'notify', type: 'slack-send-message', payload: { channel: '#trading' }, durationMs: 500, outcome: 'success', cu: 0.05 },
      ];
    case 'slow':
      return [
        { id: 'settle_delay', type: 'delay', payload: { seconds: 30 }, durationMs: 200, scheduledMs: 30_000, outcome: 'success', result: { waitedSeconds: 30 }, cu: 0.01 },
        { id: 'aggregate', type: 'code', payload: { language: 'javascript' }, durationMs: 30_000, outcome: 'success', result: { wallets: 14, totalUsd: '182340.17' }, cu: 0.6 },
        { id: 'send_digest', type: 'send-email', payload: { to: 'me@example.com' }, durationMs: 1000, outcome: 'success', result: { messageId: '<digest@b3os>' }, cu: 0.05 },
      ];
    case 'wait':
      return [
        { id: 'create_invoice', type: 'http-request', payload: { url: 'https://pay.example.com/invoices' }, durationMs: 500, outcome: 'success', result: { invoiceId: 'inv_1042' }, cu: 0.02 },
        { id: 'wait_payment', type: 'wait-for-trigger', payload: { trigger: 'erc20-receive' }, durationMs: 500, outcome: 'waiting', cu: 0 },
        { id: 'create_shipment', type: 'http-request', payload: { url: 'https://ship.example.com/shipments' }, durationMs: 600, outcome: 'success', cu: 0.02 },
      ];
  }
}
