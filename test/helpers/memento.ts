// An in-memory stand-in for VS Code's Memento (globalState / workspaceState) for tests that run
// without an editor. It stores what a real one would: a JSON copy, never the caller's live object.

export class MemoryMemento {
  /** The stored values, readable and writable directly (e.g. to plant corrupt state). */
  readonly data = new Map<string, unknown>();
  /** How many times update() was called. */
  updates = 0;

  keys(): readonly string[] {
    return [...this.data.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.data.has(key) ? (this.data.get(key) as T) : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    this.updates += 1;
    // As in VS Code, storing `undefined` removes the key.
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}
