// One measurement in this fresh Node process (scripts/bench/figures/activation.ts starts it 7×):
//   node activationProcess.cjs activation <file>  require + activate() + what the host then asks of
//                                                 a plain JSON file (CodeLens, completion), until the
//                                                 event loop is idle ('beforeExit')
//   node activationProcess.cjs services <file>    the same, then api.services(): first use (storage:
//                                                 WR_BENCH_STORAGE, else a fresh folder; WR_BENCH_LINGER_MS:
//                                                 stay that long after, for the code cache to be written)
// <file> is dist/extension.js, or a no-op extension for the baseline. Prints one JSON line.
// Before anything is timed, the Node built-ins a real extension host has already loaded when an
// extension activates are loaded here too (hostBuiltins.json, recorded from code-server by
// recordHostBuiltins.ts): there they are the host's cost, paid before any extension runs.
const path = require('node:path');
const { setImmediate } = require('node:timers');
const standIn = require('./standInVscode.cjs');

for (const builtin of require('./hostBuiltins.json').builtins) require(`node:${builtin}`);

const [mode, file] = process.argv.slice(2);
standIn.install();
const context = standIn.extensionContext();
let started;
let result;

function finish(extra) {
  const servicesFile = path.join(path.dirname(path.resolve(file)), 'services.js');
  result = { ...extra, servicesLoaded: Boolean(require.cache[servicesFile]), commands: standIn.registered.commands.size };
  console.log(JSON.stringify(result));
  process.exit(0);
}

// Some built-ins start work of their own when loaded (http2 does, for about 1 ms): the
// measurement starts once that has finished, as it has long before an extension activates (from
// a new turn of the event loop, so that the loop's draining is seen again at the end).
process.once('beforeExit', () => setImmediate(measure));

function measure() {
  started = performance.now();
  const extension = require(path.resolve(file));
  const api = extension.activate(context);
  // The host asks the providers about the document that caused activation.
  const document = standIn.plainJsonDocument();
  for (const provider of standIn.registered.codeLens) void provider.provideCodeLenses(document, {});
  for (const provider of standIn.registered.completion) void provider.provideCompletionItems(document, { line: 0, character: 1 }, {}, {});

  if (mode === 'activation') {
    // Nothing is left to run: whatever activation started has finished.
    process.once('beforeExit', () => finish({ ms: performance.now() - started }));
  } else if (mode === 'services') {
    process.once('beforeExit', () => {
      const idleMs = performance.now() - started;
      const firstUse = performance.now();
      api.services().then(
        () => {
          const ms = performance.now() - firstUse;
          // WR_BENCH_LINGER_MS: stay until the code cache of services.js is written (src/host/codeCache.ts).
          const linger = Number(process.env.WR_BENCH_LINGER_MS ?? 0);
          if (linger > 0) setTimeout(() => finish({ ms, activationMs: idleMs }), linger);
          else finish({ ms, activationMs: idleMs });
        },
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  } else {
    console.error(`unknown mode ${mode}`);
    process.exit(2);
  }
}
