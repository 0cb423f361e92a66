/** Workflow ids: one EPA per apprentice, `epa-<ULN>`. */
export function workflowIdFor(uln: string): string {
  return `epa-${uln}`;
}
