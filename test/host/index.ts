// Entry point of the extension-host tests (bundled by `node esbuild.mjs --tests` into
// out/host/index.js). VS Code calls run() inside a real extension host; see
// test/harness/hostTests.ts for the driver.
//
// To add a suite: create test/host/suite/<name>.test.ts (mocha tdd: suite/test) and add ONE import
// line below. The first import must stay first: it defines the mocha globals.
import { hostLog, mocha } from '../harness/hostMocha';
import './suite/smoke.test';
import './suite/payloadRuns.test';
import './suite/runLifecycle.test';
import './suite/moreFlows.test';
import './suite/debugLoop.test';
import './suite/taskData.test';
import './suite/secrets.test';
import './suite/transport.test';
import './suite/fixAndGo.test';
import './suite/testing.test';
import './suite/elsewhere.test';
import './suite/truncatedInputs.test';
import './suite/testingFiles.test';

export function run(_testsRoot: string, callback: (error: Error | null, failures?: number) => void): void {
  try {
    mocha.run((failures) => callback(null, failures));
  } catch (error) {
    hostLog(`mocha could not run: ${(error as Error)?.stack ?? String(error)}`);
    callback(error as Error);
  }
}
