// Disposing many things at once, the one way: in reverse order of creation (what was built on top
// goes first), each exactly once, and one that throws does not keep the others alive.

export interface DisposableLike {
  dispose(): void;
}

/** Disposes every item, last first, and empties the array so a second call does nothing. */
export function disposeAll(disposables: DisposableLike[]): void {
  const errors: unknown[] = [];
  for (const disposable of disposables.splice(0).reverse()) {
    try {
      disposable.dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose.');
}

/** A base for objects that own disposables: `register` them as they are made, `dispose` once. */
export abstract class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  /** Takes ownership; a thing registered after dispose is disposed at once. */
  protected register<T extends DisposableLike>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}
