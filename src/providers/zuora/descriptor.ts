// Zuora Workflow: what the extension needs to know at activation. Kept light (zod and types
// only); the adapter with its HTTP code loads on first use.
import { z } from 'zod';
import type { PlatformDescriptor } from '../provider';
import * as l10n from '@vscode/l10n';
import { nonEmptyText } from '../settingsText';

export const zuoraAuthModes = ['oauth', 'apiToken', 'basic'] as const;

/**
 * The Zuora-only fields of a connection. `auth` defaults to oauth, which needs `clientId`; basic
 * needs `username`. The secret half of each mode is the stored credential, never a setting.
 */
export const ZuoraSettingsSchema = z
  .object({
    auth: z.enum(zuoraAuthModes).optional(),
    clientId: nonEmptyText('clientId').optional(),
    username: nonEmptyText('username').optional(),
    entityId: nonEmptyText('entityId').optional(),
    /** Comma-separated in settings; a list is accepted too. */
    orgIds: z.union([nonEmptyText('orgIds'), z.array(z.string().trim().min(1)).min(1)]).optional(),
    api: z.enum(['v1', 'quickstart']).optional(),
  })
  .passthrough()
  .superRefine((settings, context) => {
    const auth = settings.auth ?? 'oauth';
    if (auth === 'oauth' && !settings.clientId) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['clientId'], message: l10n.t('clientId is required when auth is "oauth" (the default)') });
    }
    if (auth === 'basic' && !settings.username) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['username'], message: l10n.t('username is required when auth is "basic"') });
    }
  });
export type ZuoraSettings = z.infer<typeof ZuoraSettingsSchema>;

/** A payload's `$options` for Zuora. Strict: a misspelt key is reported before anything is sent. */
export const ZuoraOptionsSchema = z
  .object({
    /** Ask Zuora to enqueue the request (202 with only a request id). */
    async: z.boolean().optional(),
  })
  .strict();
export type ZuoraOptions = z.infer<typeof ZuoraOptionsSchema>;

/**
 * Names Zuora's router takes from the request itself (controller, action …), so a workflow
 * parameter with one of them never reaches the workflow.
 */
export const zuoraReservedInputNames: readonly string[] = ['controller', 'action', 'id', 'user_email', 'user_token', 'format'];

/** Zuora's quickstart API lives under /v2 and wants {"input_parameters": …}: the URL says which. */
export function zuoraSettingsForBaseUrl(baseUrl: string): Record<string, unknown> {
  return /\/v2\/?$/.test(baseUrl) ? { api: 'quickstart' } : {};
}

/** Whether an auth mode's credential can read runs back (only OAuth can; the callout modes cannot). */
export function zuoraModeReadsRuns(mode: string): boolean {
  return zuoraDescriptor.authModes.find((candidate) => candidate.id === mode)?.readsRuns !== false;
}

export const zuoraDescriptor: PlatformDescriptor = {
  id: 'zuora',
  label: 'Zuora Workflow',
  icon: 'symbol-event',
  // REST entries of Zuora's data centres; the quickstart API is the same host plus /v2.
  baseUrls: [
    { get label() { return l10n.t('US Production (Cloud 1)'); }, url: 'https://rest.zuora.com' },
    { get label() { return l10n.t('US Production (Cloud 2)'); }, url: 'https://rest.na.zuora.com' },
    { get label() { return l10n.t('US API Sandbox (Cloud 1)'); }, url: 'https://rest.apisandbox.zuora.com' },
    { get label() { return l10n.t('US API Sandbox (Cloud 2)'); }, url: 'https://rest.sandbox.na.zuora.com' },
    { get label() { return l10n.t('US Central Sandbox'); }, url: 'https://rest.test.zuora.com' },
    { get label() { return l10n.t('EU Production'); }, url: 'https://rest.eu.zuora.com' },
    { get label() { return l10n.t('EU API Sandbox'); }, url: 'https://rest.sandbox.eu.zuora.com' },
    { get label() { return l10n.t('EU Central Sandbox'); }, url: 'https://rest.test.eu.zuora.com' },
    { get label() { return l10n.t('APAC Production'); }, url: 'https://rest.ap.zuora.com' },
    { get label() { return l10n.t('APAC Central Sandbox'); }, url: 'https://rest.test.ap.zuora.com' },
  ],
  authModes: [
    {
      id: 'oauth',
      get label() {
        return l10n.t('OAuth client');
      },
      get detail() {
        return l10n.t('A Zuora OAuth client (Settings → Administration → Manage Users); lists workflows and follows runs');
      },
      settingsField: {
        key: 'clientId',
        get prompt() {
          return l10n.t('The OAuth client id');
        },
        get placeholder() {
          return l10n.t('e.g. {0}', '7c9b1b2e-…');
        },
      },
      get credentialPrompt() {
        return l10n.t('The OAuth client secret');
      },
      settings: { auth: 'oauth' },
    },
    {
      id: 'apiToken',
      get label() {
        return l10n.t('Workflow API token (Callout trigger)');
      },
      get detail() {
        return l10n.t('The token shown in a workflow’s settings; runs one workflow through /api/v1/workflows/{id}/run');
      },
      get credentialPrompt() {
        return l10n.t('The workflow API token');
      },
      settings: { auth: 'apiToken' },
      readsRuns: false,
    },
    {
      id: 'basic',
      get label() {
        return l10n.t('Basic authentication (Callout trigger)');
      },
      get detail() {
        return l10n.t('The user name and password shown in a workflow’s settings');
      },
      settingsField: {
        key: 'username',
        get prompt() {
          return l10n.t('The user name');
        },
      },
      get credentialPrompt() {
        return l10n.t('The password');
      },
      settings: { auth: 'basic' },
      readsRuns: false,
    },
  ],
  settingsSchema: ZuoraSettingsSchema,
  optionsSchema: ZuoraOptionsSchema,
  runActions: { rerunTask: true },
  get optionsHint() {
    return [`// "$options": { "async": true },  // ${l10n.t('Zuora: start the run asynchronously')}`];
  },
  reservedInputs: { names: zuoraReservedInputNames, by: 'Zuora' },
  settingsForBaseUrl: zuoraSettingsForBaseUrl,
  load: async () => (await import('./adapter')).createZuoraProvider,
};
