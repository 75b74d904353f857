// The commands users see (package.json `contributes.commands`) and the code behind them
// (one module per command in src/commands, registered through `commandModules`) must match:
// a contributed command without a module fails when chosen, a module without an entry is
// unreachable. Both sides are read from the files, so adding a command means adding the module,
// its registration and its package.json entry, and this test says which is missing.
import '../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { commandModules, type CommandModule } from '../../src/commands/index';

const root = path.resolve(__dirname, '..', '..');
const commandsDir = path.join(root, 'src', 'commands');
const prefix = 'workflowRuns.';

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string }>;
    menus: Record<string, Array<{ command?: string; submenu?: string }>>;
    viewsWelcome?: Array<{ contents: string }>;
    walkthroughs?: unknown[];
  };
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

const sorted = (names: Iterable<string>): string[] => [...names].sort();
const missingFrom = (names: Iterable<string>, present: Set<string>): string[] => sorted([...names].filter((name) => !present.has(name)));

/** Every .ts file of src/commands, by module name, with what it exports. */
async function loadCommandFiles(): Promise<Map<string, Record<string, unknown>>> {
  const files = readdirSync(commandsDir).filter((file) => file.endsWith('.ts'));
  const loaded = new Map<string, Record<string, unknown>>();
  for (const file of files) loaded.set(path.basename(file, '.ts'), (await import(path.join(commandsDir, file))) as Record<string, unknown>);
  return loaded;
}

describe('commands: package.json ↔ src/commands', () => {
  let files: Map<string, Record<string, unknown>>;
  /** Modules that export `run(services, …args)`: the command modules. */
  let modules: Set<string>;
  const contributed = manifest.contributes.commands.map((entry) => entry.command);

  before(async () => {
    files = await loadCommandFiles();
    modules = new Set([...files].filter(([, exports]) => typeof exports.run === 'function').map(([name]) => name));
  });

  it('finds the command modules at all', () => {
    assert.ok(modules.size >= 10, `only ${modules.size} modules export run(): ${sorted(modules).join(', ')}`);
  });

  it('every contributed command is workflowRuns.<module>, with a title', () => {
    for (const entry of manifest.contributes.commands) {
      assert.ok(entry.command.startsWith(prefix), `${entry.command} is not under ${prefix}`);
      assert.ok(entry.title, `${entry.command} has no title`);
    }
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  it('every command in package.json has a module in src/commands', () => {
    const names = contributed.map((id) => id.slice(prefix.length));
    assert.deepEqual(missingFrom(names, modules), [], 'contributed, but no src/commands/<name>.ts exports run()');
  });

  it('every command module has a package.json entry', () => {
    const names = new Set(contributed.map((id) => id.slice(prefix.length)));
    assert.deepEqual(missingFrom(modules, names), [], 'src/commands/<name>.ts exports run(), but package.json does not contribute workflowRuns.<name>');
  });

  it('every command module is registered, under its own name, and nothing else is', async () => {
    const registered = new Set(Object.keys(commandModules));
    assert.deepEqual(missingFrom(modules, registered), [], 'modules missing from commandModules (src/commands/index.ts)');
    assert.deepEqual(missingFrom(registered, modules), [], 'commandModules entries without a command module');
    for (const [name, load] of Object.entries(commandModules)) {
      const module: CommandModule = await load();
      assert.equal(module.run, files.get(name)?.run, `commandModules.${name} loads src/commands/${name}.ts`);
    }
  });

  it('menus, welcome views and walkthroughs name only contributed commands', () => {
    const known = new Set(contributed);
    const fromMenus = Object.values(manifest.contributes.menus)
      .flat()
      .map((item) => item.command)
      .filter((id): id is string => id !== undefined);
    // Links in markdown: [Add Connection](command:workflowRuns.addConnection).
    const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const linkText = JSON.stringify([manifest.contributes.viewsWelcome ?? [], manifest.contributes.walkthroughs ?? []]).replace(
      /%([^%"]+)%/g,
      (placeholder, key: string) => JSON.stringify(nls[key] ?? placeholder).slice(1, -1),
    );
    const fromLinks = [...linkText.matchAll(/command:(workflowRuns\.[A-Za-z0-9]+)/g)].map((match) => match[1]!);
    assert.ok(fromMenus.length > 0 && fromLinks.length > 0, 'found the menus and the command links');
    assert.deepEqual(missingFrom(new Set([...fromMenus, ...fromLinks].filter((id) => id.startsWith(prefix))), known), []);
  });
});
