/**
 * The start form's check (src/app/start-form.ts): every problem at once, in words, at its field, in
 * the form's order; nothing is started while there are any. The rules are the process's rule files.
 */
import { checkStartForm, startEpaFromForm, StartFormError } from '../../src/app/start-form';
import { uniqueUln } from '../support/people';

const admin = { name: 'EPA Admin', email: 'epa-admin@epao.example' };
const TODAY = '2027-03-15';
const form = (over: Record<string, string> = {}): Record<string, string> => ({
  uln: uniqueUln(),
  apprenticeName: 'Dara Quill',
  apprenticeEmail: 'dara.quill@apprentice.example',
  employer: 'Brightside Lettings Ltd',
  employerContactName: 'Noor Castellan',
  employerContactEmail: 'noor.castellan@brightside.example',
  provider: 'Northgate Training',
  providerContactName: 'Femi Arkwright',
  providerContactEmail: 'femi.arkwright@northgate.example',
  standard: 'ST0071',
  epao: 'innovate',
  'gatewaySubmittedOn-day': '12',
  'gatewaySubmittedOn-month': '3',
  'gatewaySubmittedOn-year': '2027',
  ...over,
});

test('a good form: no problems, and the request the API takes', () => {
  const uln = uniqueUln();
  const { request, problems } = checkStartForm(form({ uln: ` ${uln.slice(0, 5)} ${uln.slice(5)} ` }), admin, TODAY);
  expect(problems).toEqual([]);
  expect(request).toMatchObject({ uln, gatewaySubmittedOn: '2027-03-12', epaoAdmin: admin });
});

test('three mistakes: all three, in the form’s order (not the order they were found), each at its field, in words', () => {
  const { problems } = checkStartForm(
    form({ 'gatewaySubmittedOn-day': '31', 'gatewaySubmittedOn-month': '02', uln: '12345', providerContactEmail: 'femi@' }),
    admin,
    TODAY,
  );
  expect(problems).toEqual([
    { field: 'uln', target: 'uln', text: 'The ULN is not right: a Unique Learner Number is 10 digits, not starting with 0' },
    {
      field: 'providerContactEmail',
      target: 'providerContactEmail',
      text: "Enter the email address of the training provider's contact in the correct format, like name@example.com",
    },
    {
      field: 'gatewaySubmittedOn',
      target: 'gatewaySubmittedOn-day',
      parts: ['day'],
      text: 'The gateway submission date must be a real date: February 2027 has 28 days',
    },
  ]);
  for (const p of problems) expect(p.text).not.toMatch(/[a-z]+\.[a-z]+:|Invalid|Too small/);
});

test('the rules’ problems join the fields’: an EPAO that does not assess the standard, a gateway in the future, a bad version', () => {
  const { problems } = checkStartForm(
    form({ standard: 'ST0072', epao: 'innovate', 'gatewaySubmittedOn-day': '20', apprenticeName: '' }),
    admin,
    TODAY,
  );
  expect(problems.map((p) => p.field)).toEqual(['apprenticeName', 'epao', 'gatewaySubmittedOn']);
  expect(problems[0]!.text).toBe("Enter the apprentice's full name");
  expect(problems[1]!.text).toMatch(/^[A-Z].* does not assess ST0072/);
  expect(problems[2]).toMatchObject({
    target: 'gatewaySubmittedOn-day',
    parts: ['day', 'month', 'year'],
    text: 'The gateway submission date, 20 March 2027, is in the future (today is 15 March 2027): start the EPA once its gateway has been submitted',
  });
  const version = checkStartForm(form({ standardVersion: 'one' }), admin, TODAY).problems;
  expect(version).toEqual([
    { field: 'standardVersion', target: 'standardVersion', text: 'Assessment plan version must be a version such as 1.1' },
  ]);
});

test('a form with problems starts nothing; StartFormError carries every problem', async () => {
  const epa = { start: jest.fn() };
  const err = await startEpaFromForm(epa, form({ employer: '', epao: '', events: '[1,' }), admin, 'Amira Sollen', TODAY).catch(
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StartFormError);
  expect((err as StartFormError).problems.map((p) => p.text)).toEqual([
    "Enter the employer's organisation",
    'Choose the EPAO',
    'The events so far must be a JSON list, oldest first, as the API takes them',
  ]);
  expect(epa.start).not.toHaveBeenCalled();
});
