/**
 * London time in Temporal's workflow sandbox (issue #28 part 3): there `Date` is a wrapper function
 * (@temporalio/workflow's global overrides), so a TZDate built from one instant is a plain Date that
 * answers in the host's zone. The core's London check must hold there as it does outside: 01:30 on
 * 28 March 2027 does not exist, 01:30 on 31 October 2027 happens twice, and 23:30 UTC on a summer
 * day is already the next London day. The calendar module is loaded afresh under the same wrapper.
 */
type London = typeof import('../../src/calendar/london');

function underSandboxDate(): London {
  const OriginalDate = globalThis.Date;
  // As @temporalio/workflow/lib/global-overrides.js does it.
  const Wrapped = function (...args: unknown[]) {
    if (args.length > 0) return new (OriginalDate as unknown as new (...a: unknown[]) => Date)(...args);
    return new OriginalDate(Date.parse('2027-06-01T12:00:00Z'));
  } as unknown as DateConstructor;
  Wrapped.now = () => Date.parse('2027-06-01T12:00:00Z');
  Wrapped.parse = OriginalDate.parse.bind(OriginalDate);
  Wrapped.UTC = OriginalDate.UTC.bind(OriginalDate);
  (Wrapped as unknown as { prototype: Date }).prototype = OriginalDate.prototype;
  let london: London | undefined;
  globalThis.Date = Wrapped;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded afresh, under the wrapped Date
      london = require('../../src/calendar/london') as London;
    });
  } finally {
    globalThis.Date = OriginalDate;
  }
  return london!;
}

const doors: [string, () => London][] = [
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module as every other test loads it
  ['in Node', () => require('../../src/calendar/london') as London],
  ['under the workflow sandbox Date', underSandboxDate],
];

describe.each(doors)('%s', (_, load) => {
  const london = load();
  test('01:30 on 28 March 2027 does not exist in London, whatever offset is written', () => {
    for (const v of ['2027-03-28T01:30', '2027-03-28T01:30+00:00', '2027-03-28T01:30+01:00'])
      expect(london.londonDateTimeProblem(v)).toMatch(/does not exist in London: the clocks go forward from 01:00 to 02:00/);
    expect(london.londonDateTimeProblem('2027-03-28T02:30')).toBeUndefined();
  });
  test('01:30 on 31 October 2027 happens twice: needs its offset, and the refusal names both', () => {
    expect(london.londonDateTimeProblem('2027-10-31T01:30')).toMatch(
      /happens twice in London.*\+01:00 for the first \(BST\).*\+00:00 for the second \(GMT\)/,
    );
    expect(london.londonDateTimeProblem('2027-10-31T01:30+01:00')).toBeUndefined();
    expect(london.londonDateTimeInstant('2027-10-31T01:30+00:00') - london.londonDateTimeInstant('2027-10-31T01:30+01:00')).toBe(
      3_600_000,
    );
  });
  test('the London date, time and offset of an instant', () => {
    const lateSummerEvening = Date.parse('2027-06-01T23:30:00Z');
    expect([london.londonDateOf(lateSummerEvening), london.londonTimeOf(lateSummerEvening)]).toEqual(['2027-06-02', '00:30']);
    expect(london.londonOffsetMinutes(lateSummerEvening)).toBe(60);
    expect(london.londonDateOf(Date.parse('2027-12-01T23:30:00Z'))).toBe('2027-12-01');
    expect(new Date(london.londonInstant('2027-07-28', '10:30')).toISOString()).toBe('2027-07-28T09:30:00.000Z');
  });
});
