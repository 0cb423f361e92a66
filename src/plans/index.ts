/**
 * The rules as data: the schema of the rule files (schema.ts), their loader (load.ts) and the
 * process's registry (registry.ts). Workflow code imports only the types: a running EPA decides
 * from the rules pinned in its input, never from files.
 */
export type * from './schema';
export { rules, useRules, forgetRules, rulesDir, ruleContext, describeSource, shortHash, RuleRegistry } from './registry';
export { checkRules, loadRules, formatProblem, RulesInvalidError, defaultRulesDir, contentHash } from './load';
export type { RuleProblem, LoadedRules, Loaded } from './load';
