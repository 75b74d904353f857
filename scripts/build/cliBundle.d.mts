// Types of cliBundle.mjs for the TypeScript tests that build the CLI themselves.
import type { BuildOptions, Plugin } from 'esbuild';

export declare const refuseVscode: Plugin;
export declare function cliBundleOptions(options: { outdir: string; production?: boolean; metafile?: boolean }): BuildOptions;
