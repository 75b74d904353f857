// Where `test` writes what. Standard output always carries one line per file and, last, the line
// `N passed, N failed` (the contract). A TAP report without --out is streamed there: the plan
// first, then a test point per file as it finishes (the point is that file's line), then the
// plain last line, which TAP consumers skip as a non-TAP line. A report for --out is written
// whole at the end. JUnit XML without --out is the exception: nothing may follow its root element,
// so its per-file lines and last line go to standard error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatJUnit, formatResultLine, formatSummaryLine, formatTap, formatTapHeader, formatTapPoint, type TestResult } from '../testing/reporters';
import type { CliCommand } from './args';

type TestCommand = Extract<CliCommand, { kind: 'test' }>;

export interface TestReport {
  /** Where the per-file lines go (the console writes them there as files finish). */
  readonly lines: NodeJS.WritableStream;
  /** Before the first file's line; `total` is the number of files that will get one. */
  begin(total: number): void;
  /** A finished file's line (with TAP on standard output: its test point and YAML block). */
  fileLine(result: TestResult): string;
  /** After the last file's line: the report, if any, then the last line. */
  end(results: readonly TestResult[]): void;
}

export function createTestReport(command: Pick<TestCommand, 'reporter' | 'out'>, cli: { cwd: string; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): TestReport {
  if (command.reporter === 'tap' && command.out === undefined) {
    let points = 0;
    return {
      lines: cli.stdout,
      begin: (total) => void cli.stdout.write(`${formatTapHeader(total)}\n`),
      // Numbered as they finish: a TAP stream's points come in order of their numbers.
      fileLine: (result) => formatTapPoint(result, ++points),
      end: (results) => writeSummary(cli.stdout, results),
    };
  }
  if (command.reporter === 'junit' && command.out === undefined) {
    return {
      lines: cli.stderr,
      begin: () => undefined,
      fileLine: formatResultLine,
      end: (results) => {
        cli.stdout.write(formatJUnit(results, { timestamp: new Date() }));
        writeSummary(cli.stderr, results);
      },
    };
  }
  const { reporter, out } = command;
  return {
    lines: cli.stdout,
    begin: () => undefined,
    fileLine: formatResultLine,
    end: (results) => {
      if (reporter && out) writeReportFile(path.resolve(cli.cwd, out), reporter === 'tap' ? formatTap(results) : formatJUnit(results, { timestamp: new Date() }));
      writeSummary(cli.stdout, results);
    },
  };
}

function writeSummary(stream: NodeJS.WritableStream, results: readonly TestResult[]): void {
  stream.write(`${formatSummaryLine(results)}\n`);
}

function writeReportFile(file: string, report: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, report);
}
