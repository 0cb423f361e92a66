/**
 * Route tests: tasks (issue 29 part 9; src/web/routes/tasks.ts) on in-memory fakes. The board's
 * "To handle" list (/tasks) by owner, oldest due first, in words; the case owner's page
 * (/epas/<uln>/owner) with check your answers; the EPA page's open tasks and "Mark as done"; every
 * bad input (no choice, an unknown or disabled account, a task that does not exist or that ends on
 * its own) refused in words, never a 500.
 */
import { addDays } from '../../src/calendar';
import { addUser } from '../../src/app/users';
import { listingRow } from '../support/fake-epa-service';
import { epaStart } from '../support/people';
import { ADMIN, OPS, pagesApp, session, TODAY, type PagesApp } from '../support/web-app';

let p: PagesApp;
let admin: Awaited<ReturnType<typeof session>>;
let ops: Awaited<ReturnType<typeof session>>;

const kemi = epaStart({
  apprentice: { name: 'Kemi Adeyemo-Hart', email: 'kemi@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -3),
});
const owned = epaStart({
  apprentice: { name: 'Rhys Tamberlin', email: 'rhys@apprentice.example' },
  gatewaySubmittedOn: addDays(TODAY, -3),
});
const failedKey = 'deadlineReminder:gatewayReviewDue:2027-03-20';
const failedTask = `failed:${failedKey}:employer`;

beforeAll(async () => {
  p = await pagesApp();
  p.epa.add(kemi);
  p.epa.add(owned, [{ type: 'CaseOwnerAssigned', on: addDays(TODAY, -1), owner: ADMIN.username, name: ADMIN.name }]);
  p.epa.logs.set(kemi.uln, [
    {
      key: failedKey,
      kind: 'deadlineReminder',
      role: 'employer',
      to: ['hr@employer.example'],
      at: `${addDays(TODAY, -2)}T09:00:00.000Z`,
      status: 'failed',
      error: '550 mailbox unavailable',
    },
  ]);
  await addUser(p.users, { username: 'noor', name: 'Noor Haddad', role: 'ops', password: 'a long password for noor ok' });
  await addUser(p.users, { username: 'gone', name: 'Gus Onwards', role: 'ops', password: 'a long password for gone ok' });
  await p.users.put({ ...(await p.users.get('gone'))!, disabled: true });
  p.listings.rows.push(
    listingRow('1000000001', 'Ava Quill', {
      caseOwner: { username: ADMIN.username, name: ADMIN.name },
      tasks: [
        {
          key: 'deadline:resultDue.observation:2027-03-19',
          kind: 'deadline',
          due: '2027-03-19',
          deadline: 'resultDue.observation',
          component: 'observation',
        },
      ],
    }),
    listingRow('1000000002', 'Bo Lindqvist', {
      caseOwner: { username: ADMIN.username, name: ADMIN.name },
      tasks: [
        {
          key: `failed:${failedKey}:employer`,
          kind: 'failedMessage',
          due: '2027-03-10',
          message: { key: failedKey, kind: 'deadlineReminder', role: 'employer' },
        },
      ],
    }),
    listingRow('1000000003', 'Cy Ombré', {
      caseOwner: null,
      tasks: [{ key: 'deadline:gatewayReviewDue:2027-03-29', kind: 'deadline', due: '2027-03-29', deadline: 'gatewayReviewDue' }],
    }),
    listingRow('1000000004', 'Di Nakamura', {
      caseOwner: { username: 'noor', name: 'Noor Haddad' },
      tasks: [
        {
          key: 'lateEntry:missedBeforeEntry:2:epaoAdmin',
          kind: 'lateEntry',
          due: '2027-03-12',
          message: { key: 'missedBeforeEntry:2', kind: 'missedBeforeEntry', role: 'epaoAdmin' },
        },
      ],
    }),
    // Finished: its tasks are not listed.
    listingRow('1000000005', 'Ed Finished', {
      running: false,
      stage: 'Withdrawn',
      caseOwner: { username: ADMIN.username, name: ADMIN.name },
      tasks: [{ key: 'deadline:resultsDue:2027-03-01', kind: 'deadline', due: '2027-03-01', deadline: 'resultsDue' }],
    }),
  );
  admin = await session(p.app, ADMIN);
  ops = await session(p.app, OPS);
});
afterAll(async () => {
  await p.app.close();
});

/** What a person reads: the page without its tags (and so without attributes: form keys, addresses). */
const visibleText = (html: string): string => html.replace(/<[^>]*>/g, ' ');

const listed = (body: string): string[] =>
  [...body.matchAll(/<a class="govuk-link" href="\/epas\/(\d{10})#tasks-heading"><strong>([^<]+)<\/strong>/g)].map((m) => m[2]!);

describe('the To handle list (/tasks)', () => {
  test('shows the signed-in person’s open tasks by default, oldest due first, in words, each linking to its EPA', async () => {
    const res = await admin.get('/tasks');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Open tasks for you (2)');
    expect(listed(res.body)).toEqual(['Bo Lindqvist', 'Ava Quill']);
    expect(res.body).toContain('A message failed: Deadline reminder to the employer');
    expect(res.body).toContain('Due Wednesday 10 March 2027');
    expect(res.body).toMatch(/Due Wednesday 10 March 2027 <strong class="govuk-tag govuk-tag--red">\s*Overdue/);
    expect(res.body).toContain('Grade, moderate and publish the result of the');
    expect(visibleText(res.body)).not.toMatch(/resultDue|failedMessage|deadlineReminder|gatewayReviewDue|2027-03-1\d/);
    expect(res.body).toContain('href="/tasks" aria-current="true"');
  });

  test('"Everyone", "No owner yet" and a colleague filter the list; a finished EPA’s tasks are never listed', async () => {
    expect(listed((await ops.get('/tasks?owner=all')).body)).toEqual(['Bo Lindqvist', 'Di Nakamura', 'Ava Quill', 'Cy Ombré']);
    const none = await ops.get('/tasks?owner=none');
    expect(listed(none.body)).toEqual(['Cy Ombré']);
    expect(none.body).toContain('Owner: No owner yet');
    const noor = await ops.get('/tasks?owner=noor');
    expect(listed(noor.body)).toEqual(['Di Nakamura']);
    expect(noor.body).toContain('Open tasks for Noor Haddad (1)');
    expect(noor.body).toContain('<option value="noor" selected>Noor Haddad</option>');
    // An ops member has none of their own.
    expect((await ops.get('/tasks')).body).toContain('Nothing to handle.');
  });

  test('an owner that is no staff account (a tampered address) is refused in words', async () => {
    const res = await ops.get('/tasks?owner=%3Cscript%3E');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is no staff account like that: choose whose tasks to show from the list');
    expect(res.body).not.toContain('<script>');
  });

  test('needs a signed-in person', async () => {
    const res = await p.app.inject({ method: 'GET', url: '/tasks' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe('the case owner (/epas/<uln>/owner)', () => {
  const url = `/epas/${kemi.uln}/owner`;

  test('offers the active staff accounts by name (a disabled one is not offered), for admins only', async () => {
    const res = await admin.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Who owns this EPA?');
    for (const name of [ADMIN.name, OPS.name, 'Noor Haddad']) expect(res.body).toContain(name);
    expect(res.body).not.toContain('Gus Onwards');
    expect((await ops.get(url)).statusCode).toBe(403);
  });

  test('no choice, an unknown account, a disabled one, or the owner already set is refused in words at the field', async () => {
    const before = p.epa.callsOf('recordEvent').length;
    const none = await admin.post(url, url, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<a href="#owner">Choose who owns this EPA</a>');
    const unknown = await admin.post(url, url, { owner: 'mallory' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('There is no staff account like that: choose one from the list');
    const disabled = await admin.post(url, url, { owner: 'gone', confirmed: 'yes' });
    expect(disabled.statusCode).toBe(400);
    expect(disabled.body).toContain('Gus Onwards&#39;s account is disabled: choose someone else');
    const ownedUrl = `/epas/${owned.uln}/owner`;
    const same = await admin.post(ownedUrl, ownedUrl, { owner: ADMIN.username });
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain(`${ADMIN.name} already owns this EPA`);
    expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
  });

  test('a choice is checked first (nothing sent), then recorded as CaseOwnerAssigned today by the signed-in person, once per form', async () => {
    const check = await admin.post(url, url, { owner: 'noor' });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check your answers: choose the case owner');
    expect(check.body).toContain('Noor Haddad');
    expect(check.body).toContain('Nothing new will be sent.');
    const before = p.epa.callsOf('recordEvent').length;
    const form = await admin.get(url);
    const key = /name="formKey" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await admin.post(url, url, { owner: 'noor', confirmed: 'yes', formKey: key });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/epas/${kemi.uln}#tasks-heading`);
    const calls = p.epa.callsOf('recordEvent').slice(before);
    expect(calls).toEqual([
      {
        method: 'recordEvent',
        uln: kemi.uln,
        type: 'CaseOwnerAssigned',
        payload: { on: TODAY, owner: 'noor', name: 'Noor Haddad', by: ADMIN.name },
        idempotencyKey: key,
      },
    ]);
    const page = await admin.get(`/epas/${kemi.uln}`);
    expect(page.body).toContain('Noor Haddad is now the case owner');
  });
});

describe('the EPA page’s open tasks', () => {
  test('shows the case owner (or none yet) and each open task with its due date in words and where to act', async () => {
    const res = await admin.get(`/epas/${kemi.uln}`);
    expect(res.statusCode).toBe(200);
    const section = /<section aria-labelledby="tasks-heading"[\s\S]*?<\/section>/.exec(res.body)![0];
    expect(section).toMatch(/Case owner:<\/strong>\s*No owner yet/);
    expect(section).toContain('Review the gateway evidence, then pass or reject it');
    expect(section).toContain('A message failed: Deadline reminder to the employer');
    expect(section).toContain(`href="/epas/${kemi.uln}/message?key=${encodeURIComponent(failedKey)}&amp;role=employer"`);
    expect(section).toContain('it can be sent again from there');
    // Only the failed message can be marked done; the review ends when the gateway is decided.
    expect(section.match(/Mark as done/g)).toHaveLength(1);
    expect(visibleText(section)).not.toMatch(/gatewayReviewDue|deadlineReminder|failedMessage|2027-03/);
    const ownedPage = await admin.get(`/epas/${owned.uln}`);
    expect(ownedPage.body).toMatch(new RegExp(`Case owner:</strong>\\s*${ADMIN.name} \\(since Sunday 14 March 2027\\)`));
    // The timeline says who became the case owner.
    expect(visibleText(ownedPage.body)).toMatch(/Case owner assigned[\s\S]*Case owner: Amira Sollen/);
    // Ops read the tasks but change nothing.
    const opsPage = (await ops.get(`/epas/${kemi.uln}`)).body;
    expect(opsPage).toContain('A message failed');
    expect(opsPage).not.toContain('Mark as done');
    expect(opsPage).not.toContain('id="change-owner"');
  });

  test('Mark as done records TaskDone for the task, today, by the signed-in person', async () => {
    const epaUrl = `/epas/${kemi.uln}`;
    const before = p.epa.callsOf('recordEvent').length;
    const res = await admin.post(epaUrl, `${epaUrl}/tasks/done`, { task: failedTask });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${epaUrl}#tasks-heading`);
    const [call] = p.epa.callsOf('recordEvent').slice(before);
    expect(call).toMatchObject({ type: 'TaskDone', payload: { on: TODAY, task: failedTask, by: ADMIN.name } });
    expect(call!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await admin.get(epaUrl)).body).toContain('Done: A message failed: Deadline reminder to the employer');
  });

  test('a task that does not exist, or one that ends on its own, is refused in words and nothing is recorded', async () => {
    const epaUrl = `/epas/${kemi.uln}`;
    const before = p.epa.callsOf('recordEvent').length;
    const unknown = await admin.post(epaUrl, `${epaUrl}/tasks/done`, { task: 'failed:nothing:employer' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('This EPA has no such task: choose one from its open tasks');
    const review = (await p.epa.status(kemi.uln)).tasks!.find((t) => t.deadline === 'gatewayReviewDue')!;
    const natural = await admin.post(epaUrl, `${epaUrl}/tasks/done`, { task: review.key });
    expect(natural.statusCode).toBe(400);
    expect(natural.body).toContain('is recorded on its own page, not marked done');
    expect(p.epa.callsOf('recordEvent')).toHaveLength(before);
    expect((await ops.post(epaUrl, `${epaUrl}/tasks/done`, { task: failedTask })).statusCode).toBe(403);
  });
});
