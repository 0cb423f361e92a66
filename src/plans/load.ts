/**
 * Loads the rule files: `sources.yaml`, `standards/<STANDARD>-v<version>.yaml` (one per assessment
 * plan version) and `epaos/<id>.yaml` (one per EPAO policy), YAML or JSON, from the folder the
 * deployment chooses (EPA_RULES_DIR; default the project's own `rules/`). Every file is validated
 * with zod and checked against the others (the standards an EPAO names exist, every citation names
 * a known document); a problem is reported with its file, line, field and reason, and a folder with
 * any problem is refused whole: nothing runs on half-loaded rules.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../project-root';
import { PlanSchema, PolicySchema, type Plan, type Policy } from './schema';

/** One thing wrong with a rule file. */
export interface RuleProblem {
  /** The file, relative to the rules folder (or the folder itself). */
  file: string;
  /** 1-based line in the file, where known. */
  line?: number;
  /** The field, e.g. `components[0].noticeWeeks` (empty for the whole file). */
  field: string;
  message: string;
}

export function formatProblem(p: RuleProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}

export class RulesInvalidError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: RuleProblem[],
  ) {
    super(
      `the rules in ${dir} are refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'RulesInvalidError';
  }
}

export const SourcesSchema = z.strictObject({
  documents: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[0-9A-Z]{3}$/, 'three digits or capital letters, such as "001"'),
        title: z.string().min(1),
      }),
    )
    .min(1),
});

/** A plan or policy as loaded: the data, the file it came from and the hash of its content. */
export interface Loaded<T> {
  data: T;
  file: string;
  /** `sha256:` and the hex digest of the data's canonical JSON (layout and comments do not count). */
  hash: string;
}

export interface LoadedRules {
  dir: string;
  /** Source document id → title ("001" → "the ST0071 assessment plan"). */
  documents: Record<string, string>;
  /** Every plan version, by standard then version, oldest first. */
  plans: Loaded<Plan>[];
  policies: Loaded<Policy>[];
}

/** The project's own rule files. */
export const defaultRulesDir = path.join(projectRoot(__dirname), 'rules');

/** JSON with object keys sorted at every level, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** Compares plan versions numerically ("1.10" after "1.9"). */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

const RULE_FILE = /\.(ya?ml|json)$/;

function fieldPath(p: PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
}

interface ParsedFile {
  file: string;
  value: unknown;
  lineOf: (p: PropertyKey[]) => number | undefined;
}

function readRuleFile(dir: string, file: string, problems: RuleProblem[]): ParsedFile | undefined {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.push({ file, line: lineCounter.linePos(e.pos[0]).line, field: '', message: e.message.split('\n')[0]! });
    return undefined;
  }
  if (doc.contents === null) {
    problems.push({ file, field: '', message: 'the file is empty' });
    return undefined;
  }
  const lineOf = (p: PropertyKey[]): number | undefined => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { file, value: doc.toJS(), lineOf };
}

function zodProblems(parsed: ParsedFile, error: z.ZodError): RuleProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => {
        const line = parsed.lineOf([...issue.path, key]);
        return { file: parsed.file, ...(line && { line }), field: fieldPath([...issue.path, key]), message: 'unknown field' };
      });
    const line = parsed.lineOf(issue.path);
    let message = issue.message;
    // YAML reads 1.1 and 001 as numbers: say how to write them as the text the schema wants.
    if (issue.code === 'invalid_type' && issue.expected === 'string') message += " (put it in quotes, e.g. '1.1' or '001')";
    return [{ file: parsed.file, ...(line && { line }), field: fieldPath(issue.path), message }];
  });
}

function listRuleFiles(dir: string, sub: string, problems: RuleProblem[]): string[] {
  const folder = path.join(dir, sub);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    problems.push({ file: sub, field: '', message: 'folder missing' });
    return [];
  }
  return readdirSync(folder)
    .filter((f) => RULE_FILE.test(f))
    .sort()
    .map((f) => `${sub}/${f}`);
}

/** Every citation in a file: the values of fields named `source`, `…Source` or `basis`. */
function citations(value: unknown, at: PropertyKey[] = []): { path: PropertyKey[]; source: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => citations(v, [...at, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'string' && (k === 'source' || k.endsWith('Source') || k === 'basis')
      ? [{ path: [...at, k], source: v }]
      : citations(v, [...at, k]),
  );
}

/** Checks a rules folder: every problem in every file (an empty list when the folder is sound). */
export function checkRules(dir: string): { rules?: LoadedRules; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { problems: [{ file: dir, field: '', message: 'no such folder' }] };

  let documents: Record<string, string> = {};
  const sourcesFile = ['sources.yaml', 'sources.yml', 'sources.json'].find((f) => existsSync(path.join(dir, f)));
  if (!sourcesFile) problems.push({ file: 'sources.yaml', field: '', message: 'missing: it lists the documents rules cite' });
  else {
    const parsed = readRuleFile(dir, sourcesFile, problems);
    if (parsed) {
      const r = SourcesSchema.safeParse(parsed.value);
      if (r.success) documents = Object.fromEntries(r.data.documents.map((d) => [d.id, d.title]));
      else problems.push(...zodProblems(parsed, r.error));
    }
  }

  const plans: Loaded<Plan>[] = [];
  const parsedFiles: ParsedFile[] = [];
  /** Standards whose plan file is refused: an EPAO naming one is not reported again. */
  const refused = new Set<string>();
  for (const file of listRuleFiles(dir, 'standards', problems)) {
    const named = /^(ST\d{4})-v/.exec(path.basename(file))?.[1];
    const parsed = readRuleFile(dir, file, problems);
    if (!parsed) {
      if (named) refused.add(named);
      continue;
    }
    parsedFiles.push(parsed);
    const r = PlanSchema.safeParse(parsed.value);
    if (!r.success) {
      problems.push(...zodProblems(parsed, r.error));
      if (named) refused.add(named);
      continue;
    }
    const expected = `${r.data.standard}-v${r.data.version}`;
    if (path.basename(file).replace(RULE_FILE, '') !== expected)
      problems.push({ file, field: '', message: `holds ${r.data.standard} version ${r.data.version}: name it ${expected}.yaml` });
    else if (plans.some((p) => p.data.standard === r.data.standard && p.data.version === r.data.version))
      problems.push({ file, field: 'version', message: `${r.data.standard} version ${r.data.version} is in another file too` });
    else plans.push({ data: r.data, file, hash: contentHash(r.data) });
  }

  const policies: Loaded<Policy>[] = [];
  for (const file of listRuleFiles(dir, 'epaos', problems)) {
    const parsed = readRuleFile(dir, file, problems);
    if (!parsed) continue;
    parsedFiles.push(parsed);
    const r = PolicySchema.safeParse(parsed.value);
    if (!r.success) {
      problems.push(...zodProblems(parsed, r.error));
      continue;
    }
    const policy = r.data;
    if (path.basename(file).replace(RULE_FILE, '') !== policy.id)
      problems.push({ file, field: 'id', message: `is "${policy.id}": name the file ${policy.id}.yaml` });
    policy.standards.forEach((s, i) => {
      const versions = plans.filter((p) => p.data.standard === s.standard).map((p) => p.data.version);
      const line = parsed.lineOf(['standards', i]);
      if (versions.length === 0 && refused.has(s.standard)) return;
      if (versions.length === 0)
        problems.push({
          file,
          ...(line && { line }),
          field: `standards[${i}].standard`,
          message: `no plan file for ${s.standard}`,
        });
      else
        for (const v of s.versions ?? [])
          if (!versions.includes(v))
            problems.push({
              file,
              ...(line && { line }),
              field: `standards[${i}].versions`,
              message: `no plan file for ${s.standard} version ${v} (there is ${versions.join(', ')})`,
            });
    });
    const assessed = plans.filter((p) => policy.standards.some((s) => s.standard === p.data.standard));
    policy.order.forEach((rule, i) => {
      for (const end of ['first', 'then'] as const)
        if (assessed.length > 0 && !assessed.some((p) => p.data.components.some((c) => c.id === rule[end])))
          problems.push({
            file,
            field: `order[${i}].${end}`,
            message: `"${rule[end]}" is not a component of any standard ${policy.name} assesses`,
          });
    });
    const rule = policy.overallGradeRule;
    for (const p of rule ? assessed : []) {
      const missing =
        rule === 'points'
          ? !p.data.grading.points
          : rule === 'weightedDistinctionShare' && p.data.grading.weightedDistinctionShare === undefined;
      if (missing)
        problems.push({
          file,
          field: 'overallGradeRule',
          message: `${p.data.standard} v${p.data.version} gives no ${rule === 'points' ? 'grading.points' : 'grading.weightedDistinctionShare'} for "${rule}"`,
        });
    }
    policies.push({ data: policy, file, hash: contentHash(policy) });
  }

  if (sourcesFile)
    for (const parsed of parsedFiles)
      for (const c of citations(parsed.value)) {
        if (c.source === 'EPAO setting') continue;
        const id = c.source.slice(0, 3);
        const line = parsed.lineOf(c.path);
        if (!(id in documents) && /^[0-9A-Z]{3}/.test(c.source))
          problems.push({
            file: parsed.file,
            ...(line && { line }),
            field: fieldPath(c.path),
            message: `cites document "${id}", which ${sourcesFile} does not list`,
          });
      }
  const ids = policies.map((p) => p.data.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i)
      problems.push({ file: policies[i]!.file, field: 'id', message: `EPAO "${id}" is in another file too` });
  });
  if (plans.length === 0 && !problems.some((p) => p.file.startsWith('standards')))
    problems.push({ file: 'standards', field: '', message: 'no standard files' });
  if (policies.length === 0 && !problems.some((p) => p.file.startsWith('epaos')))
    problems.push({ file: 'epaos', field: '', message: 'no EPAO files' });

  plans.sort((a, b) => a.data.standard.localeCompare(b.data.standard) || compareVersions(a.data.version, b.data.version));
  if (problems.length > 0) return { problems };
  return { rules: { dir, documents, plans, policies }, problems };
}

/** Loads a rules folder, or throws RulesInvalidError listing every problem. */
export function loadRules(dir: string): LoadedRules {
  const { rules, problems } = checkRules(dir);
  if (!rules) throw new RulesInvalidError(dir, problems);
  return rules;
}
