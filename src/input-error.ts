/**
 * Malformed input, from whichever layer finds it: a field missing, of the wrong type, an impossible
 * date (the core, src/epa), or a standard, version or EPAO the rules do not hold (src/plans). One
 * class below both, so every door turns it into the same answer: `path` names the offending field.
 * src/epa/errors.ts hands it on with the core's other errors.
 */
export class EpaInputError extends Error {
  readonly kind = 'invalid_input' as const;
  constructor(
    /** What is wrong, without the field name. */
    readonly detail: string,
    readonly path: string,
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'EpaInputError';
  }
}
