// The emulator's lifecycle for integration suites: started once before the suite's tests, closed
// after them, and brought back to a known state before each test, so a fault one test queued or a
// run it started cannot leak into the next.
import { after, before, beforeEach } from 'node:test';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index';

export interface SuiteEmulatorOptions extends EmulatorOptions {
  /**
   * What happens before each test: `clearFaults` (the default) drops faults still queued;
   * `reset` also forgets requests, runs, tokens and idempotency keys.
   */
  beforeEachTest?: 'clearFaults' | 'reset';
}

/** Tests want fast runs and a quiet log; a suite may ask otherwise. */
const testDefaults: EmulatorOptions = { speed: 20, quiet: true };

/**
 * Registers before/after/beforeEach hooks on the current suite (or file, at top level) and returns
 * the suite's emulator. The returned object stands for the emulator started by the `before` hook:
 * use it inside tests and hooks; reading it before the suite starts throws.
 */
export function useEmulator(options: SuiteEmulatorOptions = {}): Emulator {
  const { beforeEachTest = 'clearFaults', ...emulatorOptions } = options;
  let started: Emulator | undefined;
  before(async () => {
    started = await startEmulator({ ...testDefaults, ...emulatorOptions });
  });
  beforeEach(() => {
    if (beforeEachTest === 'reset') started?.reset();
    else started?.clearFaults();
  });
  after(async () => {
    await started?.close();
    started = undefined;
  });
  return new Proxy({} as Emulator, {
    get(_target, property) {
      if (!started) throw new Error('the suite emulator is used outside its tests (it starts in before())');
      const value = Reflect.get(started, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
}

/** A second emulator for one test (other options than the suite's), closed whatever happens. */
export async function withEmulator<T>(options: EmulatorOptions, body: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ ...testDefaults, ...options });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

/** The JSON body of a request the emulator recorded (it records bodies as text); `{}` when empty. */
export function requestJson(request: { body: string }): Record<string, unknown> {
  return request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
}
