/**
 * Route tests: starting an EPA from the form and importing many from a CSV file (src/web/routes/start.ts)
 * on in-memory fakes, through app.inject.
 */
import { IMPORT_COLUMN_GUIDE, IMPORT_COLUMNS } from '../../src/app/import';
import { addDays } from '../../src/calendar';
import { epaStart, uniqueUln } from '../support/people';
import { ADMIN, csrfIn, OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
beforeAll(async () => {
  p = await pagesApp();
  admin = await session(p.app, ADMIN);
});
afterAll(async () => {
  await p.app.close();
});

const gateway = addDays(TODAY, -3);
/** The start form filled in for an invented apprentice. */
const startForm = (uln: string): Record<string, string> => {
  const [y, m, d] = gateway.split('-') as [string, string, string];
  return {
    uln,
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
    'gatewaySubmittedOn-day': d,
    'gatewaySubmittedOn-month': m,
    'gatewaySubmittedOn-year': y,
  };
};
const start = (fields: Record<string, string>) => admin.post('/epas/new', '/epas', fields);

test("the start form: today's date filled in, the standards and EPAOs the rules know; admins only", async () => {
  const page = await admin.get('/epas/new');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('action="/epas"');
  const [y, m, d] = TODAY.split('-');
  expect(page.body).toContain(`value="${d}"`);
  expect(page.body).toContain(`value="${m}"`);
  expect(page.body).toContain(`value="${y}"`);
  expect(page.body).toContain('ST0071');
  expect(page.body).toContain('ST0072');
  expect(page.body).toContain('innovate');
  const ops = await session(p.app, OPS);
  expect((await ops.get('/epas/new')).statusCode).toBe(403);
  expect((await ops.get('/imports')).statusCode).toBe(403);
});

test('started from the form: the EPA is started as the admin under the form’s key, and its page says so', async () => {
  const uln = uniqueUln();
  const res = await start(startForm(uln));
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe(`/epas/${uln}`);
  const call = p.epa.callsOf('start').at(-1)!;
  expect(call.raw).toMatchObject({
    uln,
    apprentice: { name: 'Dara Quill', email: 'dara.quill@apprentice.example' },
    epaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    gatewaySubmittedOn: gateway,
  });
  expect(call.options).toEqual({ idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/), by: ADMIN.name });
  const page = await admin.get(`/epas/${uln}`);
  expect(page.body).toContain('EPA started');
  expect(page.body).toContain('Dara Quill');
});

test('bad input: the error summary links to the field; the typed values stay; a ULN already started is a 409', async () => {
  const badUln = await start({ ...startForm('12345'), apprenticeName: 'Dara Quill' });
  expect(badUln.statusCode).toBe(400);
  expect(badUln.body).toContain('govuk-error-summary');
  expect(badUln.body).toMatch(/<a href="#uln">[^<]+<\/a>/);
  expect(badUln.body).toContain('value="Dara Quill"');

  const future = addDays(TODAY, 2).split('-') as [string, string, string];
  const later = await start({
    ...startForm(uniqueUln()),
    'gatewaySubmittedOn-day': future[2],
    'gatewaySubmittedOn-month': future[1],
    'gatewaySubmittedOn-year': future[0],
  });
  expect(later.statusCode).toBe(400);
  expect(later.body).toMatch(/<a href="#gatewaySubmittedOn-day">[^<]*in the future[^<]*<\/a>/);
  expect(later.body).toContain('17 March 2027, is in the future (today is 15 March 2027)');

  const badEvents = await start({ ...startForm(uniqueUln()), events: '[{"type": "GatewayPassed"' });
  expect(badEvents.statusCode).toBe(400);
  expect(badEvents.body).toContain(
    '<a href="#events">The events so far must be a JSON list, oldest first, as the API takes them</a>',
  );

  const history = await start({ ...startForm(uniqueUln()), events: JSON.stringify([{ type: 'GradeRecorded', on: gateway }]) });
  expect(history.statusCode).toBe(400);
  expect(history.body).toMatch(/<a href="#events">Event 1 of the events so far[^<]*: [^<]+<\/a>/);
  expect(history.body).not.toMatch(/events\[0\]/);

  const uln = uniqueUln();
  p.epa.add(epaStart({ uln, gatewaySubmittedOn: gateway }));
  const again = await start(startForm(uln));
  expect(again.statusCode).toBe(409);
  expect(again.body).toContain(`<a href="#uln">An EPA for ULN ${uln} already exists: find it on the Apprentices page</a>`);
});

/** The error summary's links and their words, in order; and the message each field shows. */
const summaryOf = (html: string) => {
  const summary = html.slice(html.indexOf('govuk-error-summary'), html.indexOf('</ul>', html.indexOf('govuk-error-summary')));
  return [...summary.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]!.replace(/&#39;/g, "'")]);
};
const fieldMessage = (html: string, id: string) =>
  /<p id="([^"]+)-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span>([^<]+)<\/p>/g
    .exec(html.slice(html.indexOf(`id="${id}-error"`) - 3))?.[2]
    ?.trim()
    .replace(/&#39;/g, "'");

test('three mistakes at once: the summary lists all three in the form’s order, in words, each linked to its field; nothing starts', async () => {
  const startsBefore = p.epa.callsOf('start').length;
  const res = await start({
    ...startForm(uniqueUln()),
    // The form's order: the apprentice's email, the employer, then the gateway date.
    'gatewaySubmittedOn-day': '31',
    'gatewaySubmittedOn-month': '2',
    'gatewaySubmittedOn-year': '2027',
    employer: '',
    apprenticeEmail: 'dara.quill.apprentice.example',
  });
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain('There are 3 problems');
  expect(res.body).toContain('data-module="govuk-error-summary"');
  expect(summaryOf(res.body)).toEqual([
    ['apprenticeEmail', "Enter the apprentice's email address in the correct format, like name@example.com"],
    ['employer', "Enter the employer's organisation"],
    ['gatewaySubmittedOn-day', 'The gateway submission date must be a real date: February 2027 has 28 days'],
  ]);
  // Each field shows its own message; no code path anywhere.
  expect(fieldMessage(res.body, 'apprenticeEmail')).toBe(
    "Enter the apprentice's email address in the correct format, like name@example.com",
  );
  expect(fieldMessage(res.body, 'employer')).toBe("Enter the employer's organisation");
  expect(fieldMessage(res.body, 'gatewaySubmittedOn')).toBe(
    'The gateway submission date must be a real date: February 2027 has 28 days',
  );
  expect(res.body).toMatch(/id="gatewaySubmittedOn-day" name="gatewaySubmittedOn-day" type="text" value="31"/);
  expect(res.body).toMatch(
    /class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" id="gatewaySubmittedOn-day"/,
  );
  expect(res.body).not.toMatch(/apprentice\.email|employer\.organisation|gatewaySubmittedOn:/);
  expect(p.epa.callsOf('start')).toHaveLength(startsBefore);
});

test('a date with a month missing points at the month box; an empty form names every field it needs', async () => {
  const noMonth = await start({ ...startForm(uniqueUln()), 'gatewaySubmittedOn-month': '' });
  expect(summaryOf(noMonth.body)).toEqual([['gatewaySubmittedOn-month', 'The gateway submission date must include a month']]);
  const empty = await start({});
  expect(empty.statusCode).toBe(400);
  expect(summaryOf(empty.body).map(([href]) => href)).toEqual([
    'uln',
    'apprenticeName',
    'apprenticeEmail',
    'employer',
    'employerContactName',
    'employerContactEmail',
    'provider',
    'providerContactName',
    'providerContactEmail',
    'standard',
    'epao',
    'gatewaySubmittedOn-day',
  ]);
  expect(summaryOf(empty.body)[0]![1]).toBe("Enter the apprentice's unique learner number (ULN)");
});

/** The import table's rows: each cell's text. */
const rowsOf = (html: string) =>
  [...html.matchAll(/<tr class="govuk-table__row" data-line="\d+">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .replace(/&#39;/g, "'")
        .trim(),
    ),
  );

/** Posts a CSV file to the import form as a browser does (multipart/form-data). */
async function upload(csv: string) {
  const form = await admin.get('/imports');
  const boundary = '----epa-route-test';
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfIn(form.body)}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="epas.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n` +
    `--${boundary}--\r\n`;
  return await p.app.inject({
    method: 'POST',
    url: '/imports',
    headers: { cookie: admin.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

const header =
  'uln,apprentice_name,apprentice_email,employer,employer_contact_name,employer_contact_email,provider,provider_contact_name,provider_contact_email,standard,epao,gateway_submitted_on';
const line = (uln: string, name: string) =>
  `${uln},${name},${name.split(' ')[0]!.toLowerCase()}@apprentice.example,Brightside Lettings Ltd,Noor Castellan,noor@brightside.example,Northgate Training,Femi Arkwright,femi@northgate.example,ST0071,innovate,${gateway}`;

test('the import: the page, a dry run that starts nothing and says what each row would do, then "start them"', async () => {
  const page = await admin.get('/imports');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('Import EPAs from a CSV file');
  expect(page.body).toContain('enctype="multipart/form-data"');

  const empty = await upload('');
  expect(empty.statusCode).toBe(400);
  expect(empty.body).toContain('<a href="#file">Choose a CSV file</a>');

  const existing = uniqueUln();
  p.epa.add(epaStart({ uln: existing, gatewaySubmittedOn: gateway }));
  const [u1, u2] = [uniqueUln(), uniqueUln()];
  const csv = [header, line(u1, 'Esme Rowe'), line(u2, 'Farid Lamb'), line(existing, 'Gus Penn'), line('12345', 'Hana Obi')].join(
    '\n',
  );
  const startsBefore = p.epa.callsOf('start').length;
  const dry = await upload(csv);
  expect(dry.statusCode).toBe(200);
  expect(dry.body).toContain('Check the import');
  expect(dry.body).toContain('2 to start, 1 to skip (an EPA exists), 1 refused. Nothing has started yet.');
  expect(p.epa.callsOf('start')).toHaveLength(startsBefore);
  expect(rowsOf(dry.body)).toEqual([
    ['2', `Esme Rowe ULN ${u1}`, 'Will start', 'Nothing'],
    ['3', `Farid Lamb ULN ${u2}`, 'Will start', 'Nothing'],
    ['4', `Gus Penn ULN ${existing}`, 'Already has an EPA: skipped', 'This ULN already has an EPA (running)'],
    [
      '5',
      'Hana Obi ULN 12345',
      'Not started: 1 problem',
      'The ULN is not right: a Unique Learner Number is 10 digits, not starting with 0 (column uln)',
    ],
  ]);
  // Each cell carries its column's heading, for the table stacked on a phone.
  expect(dry.body).toContain('class="govuk-table epa-stack-table"');
  expect(dry.body).toContain('<td class="govuk-table__cell" data-label="Details">');

  const applied = await p.app.inject({
    method: 'POST',
    url: '/imports/apply',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(dry.body) }).toString(),
  });
  expect(applied.statusCode).toBe(200);
  expect(applied.body).toContain('Import done');
  // Only the rows the dry run would start are started (the existing EPA's row was skipped before).
  expect(applied.body).toContain('2 started, 0 skipped, 0 failed');
  expect(rowsOf(applied.body)).toEqual([
    ['2', `Esme Rowe ULN ${u1}`, 'Started', 'Nothing'],
    ['3', `Farid Lamb ULN ${u2}`, 'Started', 'Nothing'],
    ['4', `Gus Penn ULN ${existing}`, 'Already has an EPA: skipped', 'This ULN already has an EPA (running)'],
    ['5', 'Hana Obi ULN 12345', 'Not started: 1 problem', expect.stringMatching(/^The ULN is not right: .*\(column uln\)$/)],
  ]);
  const started = p.epa.callsOf('start').slice(startsBefore);
  expect(started.map((c) => (c.raw as { uln: string }).uln).sort()).toEqual([u1, u2].sort());
  expect(started.every((c) => c.options.by === `${ADMIN.name} (import)`)).toBe(true);

  // The file was used once: applying again goes back to the form.
  const twice = await p.app.inject({
    method: 'POST',
    url: '/imports/apply',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(applied.body) }).toString(),
  });
  expect(twice.statusCode).toBe(302);
  expect(twice.headers.location).toBe('/imports');
});

test('a name with a right-to-left override or a control character is refused at its field in words; nothing starts', async () => {
  const uln = uniqueUln();
  const rtl = await start({ ...startForm(uln), apprenticeName: 'Dara \u202elliuQ' });
  expect(rtl.statusCode).toBe(400);
  expect(rtl.body).toContain('govuk-error-summary');
  expect(rtl.body).toMatch(/<a href="#apprenticeName">[^<]*bidirectional overrides[^<]*U\+202E[^<]*<\/a>/);
  const nul = await start({ ...startForm(uln), employer: 'Acme\u0007 Ltd' });
  expect(nul.statusCode).toBe(400);
  expect(nul.body).toContain('must not contain control characters (found U+0007');
  expect((await admin.get(`/epas/${uln}`)).statusCode).toBe(404);
});

test('the import page offers the template and explains every column; the template is a CSV attachment the import accepts', async () => {
  const page = await admin.get('/imports');
  expect(page.body).toContain('<a class="govuk-link" href="/imports/template.csv" download>Download the CSV template</a>');
  for (const c of IMPORT_COLUMN_GUIDE) {
    expect(page.body).toContain(`<dt class="govuk-summary-list__key">\n      ${c.column}\n    </dt>`);
    expect(page.body).toContain(c.explain.replace(/'/g, '&#39;'));
  }
  const template = await admin.get('/imports/template.csv');
  expect(template.statusCode).toBe(200);
  expect(template.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(template.headers['content-disposition']).toBe('attachment; filename="epa-import-template.csv"');
  const [header, example, end] = template.body.split('\r\n');
  expect(header).toBe(IMPORT_COLUMNS.join(','));
  expect(example).toMatch(/^\d{10},Rosa Example,.*,ST0071,innovate,\d{2}\/\d{2}\/\d{4},$/);
  expect(end).toBe('');
  const ops = await session(p.app, OPS);
  expect((await ops.get('/imports/template.csv')).statusCode).toBe(403);
  // The template's own row, with UK dates: checked, it would start.
  const dry = await upload(template.body);
  expect(rowsOf(dry.body)).toEqual([['2', `Rosa Example ULN ${example!.split(',')[0]}`, 'Will start', 'Nothing']]);
});

test('a UK date that is not a day is refused in words at its line; a file without the columns is refused in words', async () => {
  const dry = await upload([header, line(uniqueUln(), 'Ivo Tallis').replace(gateway, '31/02/2027')].join('\n'));
  expect(rowsOf(dry.body)[0]).toEqual([
    '2',
    expect.stringMatching(/^Ivo Tallis ULN \d{10}$/),
    'Not started: 1 problem',
    '31/02/2027 is not a real calendar date: February 2027 has 28 days (column gateway_submitted_on)',
  ]);
  const wrong = await upload('uln,name\n1234567899,Ivo Tallis\n');
  expect(wrong.statusCode).toBe(400);
  expect(wrong.body).toMatch(/<a href="#file">Missing column\(s\): apprentice_name/);
});
