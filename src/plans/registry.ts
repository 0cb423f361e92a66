/**
 * The rules this process runs on: the rule files loaded once, when it first needs them (the CLI,
 * the API and the worker load them at start, so a broken file stops them before anything runs).
 * New EPAs are pinned to a plan version and EPAO policy from here (`resolve`); a running EPA
 * decides from its own pinned copy, never from these.
 */
import { EpaInputError } from '../input-error';
import { compareVersions, defaultRulesDir, loadRules, type Loaded, type LoadedRules } from './load';
import type { PinnedRules, Plan, Policy } from './schema';

/** A short form of a content hash for people: `sha256:` and its first 12 hex digits. */
export const shortHash = (hash: string): string => hash.slice(0, 'sha256:'.length + 12);

export class RuleRegistry {
  constructor(readonly loaded: LoadedRules) {}

  get dir(): string {
    return this.loaded.dir;
  }

  /** Each standard once, in order. */
  get standardIds(): string[] {
    return [...new Set(this.loaded.plans.map((p) => p.data.standard))];
  }

  get epaoIds(): string[] {
    return this.loaded.policies.map((p) => p.data.id);
  }

  /** A standard's plan versions, oldest first. */
  versions(standard: string): Loaded<Plan>[] {
    return this.loaded.plans.filter((p) => p.data.standard === standard);
  }

  /** A plan version, or the newest when no version is named. */
  plan(standard: string, version?: string): Loaded<Plan> | undefined {
    const versions = this.versions(standard);
    return version === undefined ? versions.at(-1) : versions.find((p) => p.data.version === version);
  }

  /** The newest version of every standard. */
  get newestPlans(): Plan[] {
    return this.standardIds.map((s) => this.plan(s)!.data);
  }

  policy(id: string): Loaded<Policy> | undefined {
    return this.loaded.policies.find((p) => p.data.id === id);
  }

  get policies(): Policy[] {
    return this.loaded.policies.map((p) => p.data);
  }

  /** Whether the EPAO assesses this plan version. */
  assesses(policy: Policy, plan: Plan): boolean {
    return policy.standards.some((s) => s.standard === plan.standard && (!s.versions || s.versions.includes(plan.version)));
  }

  /** The versions of a standard an EPAO assesses, oldest first. */
  versionsAssessed(policy: Policy, standard: string): string[] {
    return this.versions(standard)
      .filter((p) => this.assesses(policy, p.data))
      .map((p) => p.data.version);
  }

  /**
   * The rules a new EPA is pinned to: the named plan version, or the newest version the EPAO
   * assesses. EpaInputError naming the field when the standard, version or EPAO is unknown or
   * the EPAO does not assess it.
   */
  resolve(standard: string, epao: string, version?: string): PinnedRules {
    const versions = this.versions(standard);
    if (versions.length === 0)
      throw new EpaInputError(`unknown standard "${standard}" (one of: ${this.standardIds.join(', ')})`, 'standard');
    const policy = this.policy(epao);
    if (!policy) throw new EpaInputError(`unknown EPAO "${epao}" (one of: ${this.epaoIds.join(', ')})`, 'epao');
    const assessed = this.versionsAssessed(policy.data, standard);
    if (assessed.length === 0) {
      const names = policy.data.standards.map((s) => s.standard + (s.versions ? ` v${s.versions.join(', v')}` : ''));
      throw new EpaInputError(`${policy.data.name} does not assess ${standard} (it assesses ${names.join('; ')})`, 'epao');
    }
    let plan: Loaded<Plan> | undefined;
    if (version === undefined) plan = this.plan(standard, [...assessed].sort(compareVersions).at(-1));
    else {
      plan = this.plan(standard, version);
      if (!plan)
        throw new EpaInputError(
          `${standard} has no version ${version} (there is ${versions.map((v) => v.data.version).join(', ')})`,
          'standardVersion',
        );
      if (!assessed.includes(version))
        throw new EpaInputError(
          `${policy.data.name} does not assess ${standard} version ${version} (it assesses ${assessed.join(', ')})`,
          'standardVersion',
        );
    }
    return { plan: plan!.data, policy: policy.data, planHash: plan!.hash, policyHash: policy.hash };
  }

  /**
   * Where a rule comes from, in words a person can look up: the document by its title, with its
   * reference kept for audit ("the ST0071 assessment plan, §5 (seed 001 §5)"). A value that is
   * not in the documents is said to be an EPAO setting.
   */
  describeSource(source: string): string {
    if (source === 'policy' || source === 'EPAO setting') return 'an EPAO setting, not from the assessment plans';
    const [doc = '', ...rest] = source.split(' ');
    const name = this.loaded.documents[doc];
    if (!name) return `source ${source}`;
    const section = rest.join(' ');
    return `${name}${section ? `, ${section}` : ''} (seed ${source})`;
  }
}

let current: RuleRegistry | undefined;

/** The folder this process takes its rules from: EPA_RULES_DIR, or the project's own `rules/`. */
export function rulesDir(): string {
  return process.env.EPA_RULES_DIR || defaultRulesDir;
}

/** The process's rules, loaded on first use (throws RulesInvalidError, listing every problem, when a file is broken). */
export function rules(): RuleRegistry {
  current ??= new RuleRegistry(loadRules(rulesDir()));
  return current;
}

/** Loads the rules from a folder and makes them the process's (tests; a process that reloads). */
export function useRules(dir: string): RuleRegistry {
  current = new RuleRegistry(loadRules(dir));
  return current;
}

/** Drops the loaded rules: the next use loads them again (tests; a process told to reload). */
export function forgetRules(): void {
  current = undefined;
}

/** The plan and EPAO policy for a case from the process's rules (newest assessed version unless named). */
export function ruleContext(standard: string, epao: string, version?: string): { plan: Plan; policy: Policy } {
  const { plan, policy } = rules().resolve(standard, epao, version);
  return { plan, policy };
}

export function describeSource(source: string): string {
  return rules().describeSource(source);
}
