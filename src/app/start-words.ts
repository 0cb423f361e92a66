/**
 * The fields of a start request in words, in the order the start form and the CSV template list
 * them, and what is wrong with one, as a person reads it ("Enter the apprentice's email address in
 * the correct format, like name@example.com"), never as a code path ("apprentice.email: Invalid
 * email address"). The start form (start-form.ts) and the import (import.ts) both say problems so.
 */
import type { z } from 'zod';

export interface StartField {
  /** The start request's path (`apprentice.email`). */
  path: string;
  /** Its name on the page, as the form's label says it ("Apprentice's email"). */
  label: string;
  /** What "Enter …" or "Choose …" asks for. */
  missing: string;
  kind: 'text' | 'email' | 'choice' | 'date' | 'events' | 'uln';
}

/** In the form's order (the order problems are listed in). */
export const START_FIELDS: readonly StartField[] = [
  {
    path: 'uln',
    label: 'Unique learner number (ULN)',
    missing: "Enter the apprentice's unique learner number (ULN)",
    kind: 'uln',
  },
  { path: 'apprentice.name', label: "Apprentice's full name", missing: "Enter the apprentice's full name", kind: 'text' },
  { path: 'apprentice.email', label: "Apprentice's email", missing: "Enter the apprentice's email address", kind: 'email' },
  { path: 'employer.organisation', label: 'Employer', missing: "Enter the employer's organisation", kind: 'text' },
  { path: 'employer.name', label: "Employer contact's name", missing: "Enter the name of the employer's contact", kind: 'text' },
  {
    path: 'employer.email',
    label: "Employer contact's email",
    missing: "Enter the email address of the employer's contact",
    kind: 'email',
  },
  {
    path: 'provider.organisation',
    label: 'Training provider',
    missing: "Enter the training provider's organisation",
    kind: 'text',
  },
  {
    path: 'provider.name',
    label: "Training provider contact's name",
    missing: "Enter the name of the training provider's contact",
    kind: 'text',
  },
  {
    path: 'provider.email',
    label: "Training provider contact's email",
    missing: "Enter the email address of the training provider's contact",
    kind: 'email',
  },
  { path: 'standard', label: 'Standard', missing: 'Choose the standard', kind: 'choice' },
  { path: 'standardVersion', label: 'Assessment plan version', missing: 'Enter the assessment plan version', kind: 'text' },
  { path: 'epao', label: 'EPAO', missing: 'Choose the EPAO', kind: 'choice' },
  {
    path: 'gatewaySubmittedOn',
    label: 'Gateway submitted on',
    missing: 'Enter the date the gateway was submitted',
    kind: 'date',
  },
  { path: 'events', label: 'Events so far', missing: 'Enter the events so far', kind: 'events' },
];

/** The field a request path belongs to (`events[2].on` → events; `epaoAdmin.email` → undefined). */
export function startFieldOf(path: string): StartField | undefined {
  const top = path.replace(/\[.*$/, '');
  return START_FIELDS.find((f) => f.path === path || f.path === top);
}

/** The position of a path in the form's order (unknown paths last). */
export function startFieldOrder(path: string): number {
  const field = startFieldOf(path);
  return field ? START_FIELDS.indexOf(field) : START_FIELDS.length;
}

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A value at a dotted path of a plain object. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** One zod issue of a start request in words. */
export function issueInWords(issue: z.core.$ZodIssue, raw: unknown): { path: string; text: string } {
  const path = issue.path.map(String).join('.');
  const field = startFieldOf(path);
  const value = valueAt(raw, issue.path);
  if (!field) return { path, text: capitalise(issue.message) };
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return { path, text: field.missing };
  if (field.kind === 'email' && issue.code === 'invalid_format')
    return { path, text: `${field.missing} in the correct format, like name@example.com` };
  if (issue.code === 'too_big' && typeof value === 'string')
    return { path, text: `${field.label} must be ${String((issue as { maximum?: unknown }).maximum)} characters or fewer` };
  if (path === 'standardVersion') return { path, text: `${field.label} must be a version such as 1.1` };
  if (field.kind === 'uln') return { path, text: `The ULN is not right: ${issue.message}` };
  return { path, text: `${field.label}: ${issue.message}` };
}

/** An event's problem in an EPA's history (the events so far) in words: "Event 2 of the events so far: …". */
export function historyProblemInWords(p: { index: number; field: string; message: string }): string {
  const what: Record<string, string> = {
    on: 'its date',
    at: 'its date and time',
    type: '',
    'override.reason': 'its override reason',
  };
  const part = what[p.field] ?? '';
  return `Event ${p.index + 1} of the events so far${part ? `, ${part}` : ''}: ${p.message}`;
}
