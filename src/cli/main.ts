/**
 * The `epa` command. Exit codes: 0 ok, 2 invalid input, 3 not found, 1 anything else.
 * `epa plan` asks the rules core a "what if" question without Temporal.
 */
import { readFileSync } from 'node:fs';
import { describeStandard, describeStandardText, rulesCatalogue } from '../app/rules';
import { Command, CommanderError } from 'commander';
import { isEpaError, planCase } from '../epa';
import { validatePlans } from '../plans/validate';
import { table } from './table';

export const EXIT = { ok: 0, failure: 1, invalid: 2, notFound: 3 } as const;

/** An error that carries its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  now: () => number;
}

const defaultIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, 'utf8'),
  now: () => Date.now(),
};

function readCase(file: string | undefined, io: Io): unknown {
  let text: string;
  try {
    text = file ? readFileSync(file, 'utf8') : io.readStdin();
  } catch (err) {
    throw new CliError(
      `cannot read ${file ?? 'standard input'}: ${err instanceof Error ? err.message : String(err)}`,
      EXIT.invalid,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`the case is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, EXIT.invalid);
  }
}

export function buildProgram(io: Io, extend?: (program: Command, io: Io) => void): Command {
  const program = new Command('epa')
    .description('End-point assessment on durable Temporal workflows')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('plan')
    .description('derive stage, deadlines, grades and findings for a case (JSON on stdin or --file), without Temporal')
    .option('-f, --file <path>', 'read the case from a file instead of standard input')
    .option('--as-of <date>', 'evaluate as of this London date (YYYY-MM-DD) or ISO instant')
    .option('--compact', 'one line of JSON')
    .action((opts: { file?: string; asOf?: string; compact?: boolean }) => {
      const input = readCase(opts.file, io);
      const withAsOf = opts.asOf && input && typeof input === 'object' ? { ...input, asOf: opts.asOf } : input;
      const result = planCase(withAsOf, io.now());
      io.stdout(JSON.stringify(result, null, opts.compact ? undefined : 2) + '\n');
    });

  const rules = program.command('rules').description('the standards and EPAO policies the rules come from, with their citations');
  rules
    .command('list')
    .description('standards (with version) and EPAOs, and which EPAO assesses which standard')
    .option('--json', 'JSON output')
    .action((opts: { json?: boolean }) => {
      const catalogue = rulesCatalogue();
      if (opts.json) return io.stdout(JSON.stringify(catalogue, null, 2) + '\n');
      io.stdout(
        table(
          catalogue.standards.map((s) => ({
            standard: s.standard,
            version: s.version,
            level: s.level,
            title: s.title,
            epaos: s.epaos.join(', '),
            source: s.source,
          })),
        ) +
          '\n' +
          table(catalogue.epaos.map((e) => ({ epao: e.id, name: e.name, standards: e.standards.join(', '), source: e.source }))),
      );
    });
  rules
    .command('show <standard>')
    .description("a standard's plan as a person reads it, each rule with its seed or marked as an EPAO setting")
    .option('--json', 'JSON output')
    .action((standard: string, opts: { json?: boolean }) => {
      const d = describeStandard(standard);
      io.stdout(opts.json ? JSON.stringify(d, null, 2) + '\n' : describeStandardText(d));
    });

  extend?.(program, io);
  return program;
}

/** Runs the CLI; returns the exit code (never throws). */
export async function main(argv: string[], io: Io = defaultIo, extend?: (program: Command, io: Io) => void): Promise<number> {
  const program = buildProgram(io, extend);
  try {
    validatePlans();
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return EXIT.ok;
      return EXIT.invalid;
    }
    if (err instanceof CliError) {
      io.stderr(`epa: ${err.message}\n`);
      return err.exitCode;
    }
    if (isEpaError(err)) {
      io.stderr(`epa: ${err.message}\n`);
      return EXIT.invalid;
    }
    io.stderr(`epa: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}
