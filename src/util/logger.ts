// The logging surface the layers below the editor write to. The extension's output channel
// implements it (src/log.ts); tests and a command-line tool pass their own.

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
