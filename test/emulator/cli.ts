// `npm run emulator [-- --port N] [--speed X] [--quiet]`: serves the three platforms until SIGINT
// or SIGTERM. The first lines on stdout are exactly `<platform> <base URL>`, one per platform;
// the request log goes to stderr.
import { startEmulator, type EmulatorOptions } from './index';

function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = { port: 4010 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65533) throw new Error('--port must be an integer from 0 to 65533');
        options.port = port;
        break;
      }
      case '--speed': {
        const speed = Number(value());
        if (!(speed > 0)) throw new Error('--speed must be a positive number');
        options.speed = speed;
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--ping-ms':
        options.pingIntervalMs = Number(value());
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
        process.stdout.write('Usage: tsx test/emulator/cli.ts [--port 4010] [--speed 1] [--host 127.0.0.1] [--ping-ms 2000] [--quiet]\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`emulator: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  process.stdout.write(`zuora ${emulator.urls.zuora}\ndify ${emulator.urls.dify}\nb3os ${emulator.urls.b3os}\n`);
  if (!options.quiet) {
    process.stderr.write('Demo credentials: Zuora demo-client/demo-secret (API token demo-token, Basic demo/demo-secret); Dify app-demo; B3OS b3sk_demo\n');
  }
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    if (!options.quiet) process.stderr.write(`emulator: ${signal}, closing\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
