/**
 * Route tests: the note form (/epas/<uln>/note, src/web/routes/notes.ts) on in-memory fakes. It
 * renders a GOV.UK character count; an empty or too-long note comes back in words at the field; a
 * good post records NoteAdded (today, by the signed-in person) and the note shows on the timeline.
 */
import { addDays } from '../../src/calendar';
import { NOTE_MAX } from '../../src/epa/note';
import { epaStart } from '../support/people';
import { OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let ops: Awaited<ReturnType<typeof session>>;
const dana = epaStart({
  apprentice: { name: 'Dana Pirelli-Stone', email: 'dana@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -10),
});
const url = `/epas/${dana.uln}/note`;

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(dana);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});

test('the form is a textarea with a character count, for any signed-in staff member', async () => {
  const res = await ops.get(url);
  expect(res.statusCode).toBe(200);
  expect(res.body).toMatch(
    /<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l" for="text">\s*Add a note/,
  );
  expect(res.body).toContain('data-module="govuk-character-count"');
  expect(res.body).toContain(`data-maxlength="${NOTE_MAX}"`);
  expect(res.body).toContain('never goes into an email');
});

test('an empty note is refused in words, linked to the field, and nothing is recorded', async () => {
  const before = p.epa.callsOf('recordEvent').length;
  const res = await ops.post(url, url, { text: '   ' });
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain('There is a problem');
  expect(res.body).toContain('<a href="#text">Enter the note</a>');
  expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
});

test('a note over the cap is refused with its length, and the text is kept in the box', async () => {
  const long = 'x'.repeat(NOTE_MAX + 5);
  const res = await ops.post(url, url, { text: long });
  expect(res.statusCode).toBe(400);
  expect(res.body).toContain(`The note must be ${NOTE_MAX} characters or fewer (it has ${NOTE_MAX + 5})`);
  expect(res.body).toContain(long);
});

test('a good note records NoteAdded today by the signed-in person, once per form, and goes back to the EPA', async () => {
  const form = await ops.get(url);
  const key = /name="formKey" value="([^"]+)"/.exec(form.body)![1];
  const res = await ops.post(url, url, { text: '  Employer asked for a later date by phone.\r\nCall back Friday.  ' });
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe(`/epas/${dana.uln}`);
  const call = p.epa.callsOf('recordEvent').at(-1)!;
  expect(call.type).toBe('NoteAdded');
  expect(call.payload).toEqual({ on: TODAY, text: 'Employer asked for a later date by phone.\nCall back Friday.', by: OPS.name });
  expect(call.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  const page = await ops.get(res.headers.location as string);
  expect(page.body).toContain('Note added');
});

test('a form without its CSRF token is refused', async () => {
  const res = await p.app.inject({
    method: 'POST',
    url,
    headers: { cookie: ops.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'text=hello',
  });
  expect(res.statusCode).toBe(403);
});

test('the note shows on the timeline as "Note added" by its author, with its text, and changes no stage or deadline', async () => {
  const eve = epaStart({
    apprentice: { name: 'Eve Marsh-Oduya', email: 'eve@apprentice.example' },
    gatewaySubmittedOn: addDays(TODAY, -10),
  });
  p.epa.add(eve);
  const without = await ops.get(`/epas/${eve.uln}`);
  p.epa.add(eve, [{ type: 'NoteAdded', on: TODAY, text: 'Line one\nLine <two>', by: 'Olu Ferris' }]);
  const res = await ops.get(`/epas/${eve.uln}`);
  expect(res.statusCode).toBe(200);
  expect(res.body).toMatch(
    /<h3 class="moj-timeline__title">Note added<\/h3>\s*<p class="moj-timeline__byline">by Olu Ferris<\/p>/,
  );
  expect(res.body).toContain('<p class="govuk-body epa-note">Line one\nLine &lt;two&gt;</p>');
  expect(res.body).not.toContain('NoteAdded');
  // The deadlines table is as it was without the note.
  const deadlines = (html: string) => /id="deadlines-heading"[\s\S]*?<\/table>/.exec(html)?.[0];
  expect(deadlines(res.body)).toBeDefined();
  expect(deadlines(res.body)).toEqual(deadlines(without.body));
});

test('an unknown EPA is not found, in words', async () => {
  const nobody = epaStart({ apprentice: { name: 'Nobody Started', email: 'nobody@apprentice.example' } });
  const res = await ops.get(`/epas/${nobody.uln}/note`);
  expect(res.statusCode).toBe(404);
  expect(res.body).toContain('Not found');
});
