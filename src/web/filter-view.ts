/**
 * The MoJ filter component's "Selected filters" (@ministryofjustice/frontend `mojFilter`): each filter
 * in use as a tag whose link is the same list without it, and a link that clears them all. Sorting
 * is kept; paging starts again at page 1.
 */
export interface FilterField {
  name: string;
  heading: string;
  /** How the value reads on its tag (default: the value). */
  text?: (value: string) => string;
}

export function selectedFilters(
  path: string,
  query: Record<string, string>,
  fields: FilterField[],
  kept: Record<string, string> = {},
): object | undefined {
  const href = (params: Record<string, string>) => {
    const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
    return search ? `${path}?${search}` : path;
  };
  const active = fields.filter((f) => (query[f.name] ?? '') !== '');
  if (active.length === 0) return undefined;
  const inUse = Object.fromEntries(active.map((f) => [f.name, query[f.name]!]));
  return {
    heading: { text: 'Selected filters' },
    clearLink: { text: 'Clear filters', href: href(kept) },
    categories: active.map((f) => ({
      heading: { text: f.heading },
      items: [
        {
          href: href({ ...kept, ...inUse, [f.name]: '' }),
          text: f.text ? f.text(query[f.name]!) : query[f.name]!,
        },
      ],
    })),
  };
}
