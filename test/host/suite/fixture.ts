// Shared set-up of the extension-host suites: an emulator started inside the extension host (so
// a test can see exactly which requests reached the platform), connections to it, and the
// extension's services through the API activate() returns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/index';
import { eventually } from '../../helpers/eventually';
import type { WorkflowRunsApi } from '../../../src/extension';
import type { Services } from '../../../src/services';
import type { RunRecord } from '../../../src/runs/record';
import type { RunStatus } from '../../../src/providers/model';

export const names = { zuora: 'zuora-host', dify: 'dify-host', b3os: 'b3os-host' } as const;

export interface HostFixture {
  emulator: Emulator;
  services: Services;
  dir: string;
}

let fixture: Promise<HostFixture> | undefined;

export function hostFixture(): Promise<HostFixture> {
  fixture ??= (async () => {
    const emulator = await startEmulator({ speed: 20, quiet: true, pingIntervalMs: 200 });
    process.env.WORKFLOW_RUNS_HOST_DIFY_KEY = 'app-demo';
    process.env.WORKFLOW_RUNS_HOST_B3OS_KEY = 'b3sk_demo';
    const configuration = vscode.workspace.getConfiguration('workflowRuns');
    await configuration.update('openDetailsOnRun', true, vscode.ConfigurationTarget.Global);
    await configuration.update('notifyOnRunEnd', 'never', vscode.ConfigurationTarget.Global);
    await configuration.update(
      'connections',
      [
        // Zuora keeps its secret in SecretStorage (set below through the command), the others in env vars.
        { name: names.zuora, platform: 'zuora', baseUrl: emulator.urls.zuora, auth: 'oauth', clientId: 'demo-client' },
        { name: names.dify, platform: 'dify', baseUrl: emulator.urls.dify, credentialEnv: 'WORKFLOW_RUNS_HOST_DIFY_KEY' },
        { name: names.b3os, platform: 'b3os', baseUrl: emulator.urls.b3os, credentialEnv: 'WORKFLOW_RUNS_HOST_B3OS_KEY' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const extension = vscode.extensions.getExtension<WorkflowRunsApi>('workflow-runs.workflow-runs');
    assert.ok(extension, 'the extension is installed');
    const api = await extension.activate();
    const services = await api.services();
    await vscode.commands.executeCommand('workflowRuns.setCredentials', names.zuora, 'demo-secret');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-host-'));
    return { emulator, services, dir };
  })();
  return fixture;
}

export async function writePayload(dir: string, name: string, content: string | object): Promise<vscode.Uri> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return vscode.Uri.file(file);
}

/** The newest run of a workflow started after `since`. */
export function newestRun(services: Services, connection: string, workflowId: string, since: number): RunRecord | undefined {
  return services.store.forWorkflow(connection, workflowId).find((record) => record.updatedAt >= since);
}

export async function runUntil(services: Services, record: RunRecord, statuses: RunStatus[], timeoutMs = 20_000): Promise<RunRecord> {
  return eventually(() => services.store.get(record.connection, record.snapshot.runId)!, {
    until: (current) => statuses.includes(current.snapshot.status),
    timeoutMs,
    what: `run ${record.snapshot.runId} to reach ${statuses.join('/')}`,
  });
}

export function postsTo(emulator: Emulator, platform: 'zuora' | 'dify' | 'b3os', pathPattern: RegExp): number {
  return emulator.requests.filter((request) => request.platform === platform && request.method === 'POST' && pathPattern.test(request.path)).length;
}
