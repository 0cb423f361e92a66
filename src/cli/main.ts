/**
 * The `epa` command. Exit codes: 0 ok, 2 invalid input, 3 not found, 1 anything else.
 * `epa plan` asks the rules core a "what if" question without Temporal.
 */
import { readFileSync } from 'node:fs';
import { describeStandard, describeStandardText, rulesCatalogue, rulesMarkdown } from '../app/rules';
import { Command, CommanderError } from 'commander';
import { isEpaError, planCase } from '../epa';
import { checkRules, formatProblem, rulesDir, RulesInvalidError } from '../plans';
import type { Io } from './io';
import { table } from './table';
import { addUserCommands } from './users';
import { UserNotFoundError } from '../app/users';

export type { Io } from './io';

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
            version: s.version + (s.newest ? ' (newest)' : ''),
            level: s.level,
            title: s.title,
            epaos: s.epaos.join(', '),
            source: s.source,
            hash: s.hash,
          })),
        ) +
          '\n' +
          table(
            catalogue.epaos.map((e) => ({
              epao: e.id,
              name: e.name,
              assesses: e.standards.join(', '),
              source: e.source,
              hash: e.hash,
            })),
          ) +
          `\nrules from ${catalogue.dir}\n`,
      );
    });
  rules
    .command('docs')
    .description('every plan version and EPAO policy on file as Markdown (the "Standards on file" of docs/rules.md)')
    .action(() => io.stdout(rulesMarkdown()));
  rules
    .command('validate [dir]')
    .description(
      'check every rule file in a folder (default: EPA_RULES_DIR or the shipped rules/): exit 0, or 2 listing every problem',
    )
    .action((dir: string | undefined) => {
      const folder = dir ?? rulesDir();
      const { rules: loaded, problems } = checkRules(folder);
      if (!loaded) {
        io.stderr(problems.map((p) => `${formatProblem(p)}\n`).join(''));
        throw new CliError(
          `${folder}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing would start on these rules`,
          EXIT.invalid,
        );
      }
      const standards = loaded.plans.map((p) => `${p.data.standard} v${p.data.version}`).join(', ');
      io.stdout(
        `${folder}: valid: ${loaded.plans.length} plan version${loaded.plans.length === 1 ? '' : 's'} (${standards}), ` +
          `${loaded.policies.length} EPAO polic${loaded.policies.length === 1 ? 'y' : 'ies'} (${loaded.policies.map((p) => p.data.id).join(', ')}), ` +
          `${Object.keys(loaded.documents).length} source documents\n`,
      );
    });
  rules
    .command('show <standard>')
    .description("a standard's plan as a person reads it, each rule with its seed or marked as an EPAO setting")
    .option('--plan-version <version>', 'a plan version (default: the newest)')
    .option('--json', 'JSON output')
    .action((standard: string, opts: { json?: boolean; planVersion?: string }) => {
      const d = describeStandard(standard, opts.planVersion);
      io.stdout(opts.json ? JSON.stringify(d, null, 2) + '\n' : describeStandardText(d));
    });

  addUserCommands(program, io);
  extend?.(program, io);
  return program;
}

/** Runs the CLI; returns the exit code (never throws). */
export async function main(argv: string[], io: Io = defaultIo, extend?: (program: Command, io: Io) => void): Promise<number> {
  const program = buildProgram(io, extend);
  try {
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
    if (err instanceof UserNotFoundError) {
      io.stderr(`epa: ${err.message}\n`);
      return EXIT.notFound;
    }
    if (err instanceof RulesInvalidError) {
      io.stderr(`epa: ${err.message}\n`);
      return EXIT.invalid;
    }
    if (isEpaError(err)) {
      io.stderr(`epa: ${err.message}\n`);
      return EXIT.invalid;
    }
    io.stderr(`epa: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}
