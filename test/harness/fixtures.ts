// Shared demo set-up: the emulator (when test/emulator/index.ts exists), connections to it, the demo
// credentials (as environment variables named by `credentialEnv`) and a workspace with payload
// files. Used by the UI runner, the extension-host driver and `npm start`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, log } from './codeServer';

export interface EmulatorUrls {
  zuora: string;
  dify: string;
  b3os: string;
}

export interface Emulator {
  urls: EmulatorUrls;
  close(): Promise<void> | void;
}

export const EMULATOR_MODULE = path.join(ROOT, 'test', 'emulator', 'index.ts');

/** Environment variables holding the emulator's demo credentials (see contract "The emulator"). */
export const DEMO_ENV: Record<string, string> = {
  WORKFLOW_RUNS_ZUORA_SECRET: 'demo-secret',
  WORKFLOW_RUNS_DIFY_KEY: 'app-demo',
  WORKFLOW_RUNS_B3OS_KEY: 'b3sk_demo',
};

/** Connection names used by the demo settings and the sample payload files. */
export const DEMO_CONNECTION_NAMES = { zuora: 'zuora-demo', dify: 'dify-demo', b3os: 'b3os-demo' } as const;

/** `workflowRuns.connections` pointing at the emulator, credentials from DEMO_ENV. */
export function demoConnections(urls: EmulatorUrls): Array<Record<string, unknown>> {
  return [
    {
      name: DEMO_CONNECTION_NAMES.zuora,
      platform: 'zuora',
      baseUrl: urls.zuora,
      auth: 'oauth',
      clientId: 'demo-client',
      credentialEnv: 'WORKFLOW_RUNS_ZUORA_SECRET',
    },
    { name: DEMO_CONNECTION_NAMES.dify, platform: 'dify', baseUrl: urls.dify, credentialEnv: 'WORKFLOW_RUNS_DIFY_KEY' },
    { name: DEMO_CONNECTION_NAMES.b3os, platform: 'b3os', baseUrl: urls.b3os, credentialEnv: 'WORKFLOW_RUNS_B3OS_KEY' },
  ];
}

/** Starts the emulator in this process, or returns undefined when it does not exist yet. */
export async function startEmulatorIfPresent(options: { port?: number; speed?: number } = {}): Promise<Emulator | undefined> {
  if (!fs.existsSync(EMULATOR_MODULE)) {
    log('test/emulator/index.ts does not exist yet: running without the emulator');
    return undefined;
  }
  const module = (await import(pathToFileURL(EMULATOR_MODULE).href)) as {
    startEmulator?: (o: { port?: number; speed?: number; quiet?: boolean }) => Promise<Emulator> | Emulator;
    default?: { startEmulator?: (o: { port?: number; speed?: number; quiet?: boolean }) => Promise<Emulator> | Emulator };
  };
  const start = module.startEmulator ?? module.default?.startEmulator;
  if (typeof start !== 'function') throw new Error('test/emulator/index.ts does not export startEmulator()');
  return await start({ ...options, quiet: true });
}

/**
 * Sample payload files: one per platform on the emulator's seeded workflows (Zuora 19027, the
 * Dify app, B3OS wf_9k2m4x7q1b3n), a JSONC one, and one that does not parse.
 */
export function samplePayloads(): Record<string, string> {
  const { zuora, dify, b3os } = DEMO_CONNECTION_NAMES;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'invoice-sync.payload.json': json({ $workflow: `${zuora}/19027`, accountNumber: 'A00000042' }),
    'release-notes.payload.json': json({
      $workflow: dify,
      $options: { response_mode: 'streaming' },
      topic: 'Release 1.4',
      tone: 'friendly',
    }),
    'treasury-alert.payload.json': json({ $workflow: `${b3os}/wf_9k2m4x7q1b3n`, $options: { simulate: true }, threshold: 0.05 }),
    'release-notes.payload.jsonc': [
      '// JSONC payload: comments and trailing commas are allowed.',
      '{',
      `  "$workflow": "${dify}",`,
      '  "topic": "Release 1.5", // the input',
      '}',
      '',
    ].join('\n'),
    // Does not parse: the bare word `oops` at line 3, column 12 (test/ui/malformed.ui.ts relies on it).
    'broken.payload.json': `{\n  "$workflow": "${dify}",\n  "topic": oops,\n  "tone": "friendly"\n}\n`,
  };
}

/** Writes a workspace folder with the sample payload files (and any extra files). */
export function writeWorkspace(dir: string, extra: Record<string, string> = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries({ ...samplePayloads(), ...extra })) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}
