/**
 * Where a rule comes from, in words a person can look up: the seed documents by name, with the
 * seed reference kept for audit ("the ST0071 assessment plan, §5 (seed 001 §5)"). A value that is
 * not in the seeds is said to be an EPAO setting.
 */
const DOCUMENTS: Record<string, string> = {
  '000': "the ST0071 training provider's programme overview",
  '001': 'the ST0071 assessment plan',
  '002': "Innovate Awarding's ST0071 EPA specification",
  '003': 'the ST0072 standard and assessment plan',
  '004': "NQual's ST0072 EPA support pack",
};

export function describeSource(source: string): string {
  if (source === 'policy' || source === 'EPAO setting') return 'an EPAO setting, not from the assessment plans';
  const [doc = '', ...rest] = source.split(' ');
  const name = DOCUMENTS[doc];
  if (!name) return `seed ${source}`;
  const section = rest.join(' ');
  return `${name}${section ? `, ${section}` : ''} (seed ${source})`;
}
