// The pathway story of issue 3, walked in Chromium with a different user for each agency: police
// collect a man, welfare screens him, the prosecutor orders a placement (and is refused four
// months), welfare admits him to a centre with a free bed, vocational training takes a referral
// and records a course, he is discharged, after-care and a job are recorded. He is then collected
// again, typed with Arabic letters and without the zero-width non-joiner, and the system shows it
// is the same man; that second stay runs past its order and appears, red, on the coordinator's home.
//
//   PEYVAND_BIN=… PEYVAND_WEB_ROOT=… CHROMIUM=/usr/bin/chromium node --test tests/e2e/pathway.test.mjs
import assert from 'node:assert/strict';
import test, { after, before } from 'node:test';

import { launchBrowser, newWatchedContext, signIn, startServer } from './helpers.mjs';

let browser;
let server;
const contexts = [];

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

after(async () => {
  for (const c of contexts) await c.context.close().catch(() => {});
  await browser?.close();
  if (server) {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0, `peyvand serve did not exit cleanly\n${stderr}`);
  }
});

// One signed-in browser context per agency user, kept for the whole story.
const people = new Map();
async function as(username) {
  server.assertAlive();
  if (people.has(username)) return people.get(username).page;
  const watched = await newWatchedContext(browser, server.origin);
  contexts.push(watched);
  const page = await watched.context.newPage();
  page.on('dialog', (d) => d.accept()); // the confirmations before discharge and the like
  await signIn(page, server.origin, server.login(username));
  people.set(username, { ...watched, page });
  return page;
}

async function api(method, path, body, token) {
  const res = await fetch(`${server.origin}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

function isoDaysAgo(n) {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

async function submit(page, testId) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.getByTestId(testId).click()]);
}

async function openFromInbox(page, view, name) {
  await page.goto(`${server.origin}/inbox?view=${view}`);
  const row = page.getByTestId('inbox-row').filter({ hasText: name }).first();
  await row.waitFor();
  await Promise.all([page.waitForNavigation(), row.getByRole('link', { name: 'پرونده' }).click()]);
  assert.match(new URL(page.url()).pathname, /^\/episodes\/\d+$/);
}

// The admission form's facility list shows each centre with its vacancy; pick ours by name.
async function chooseCentre(page) {
  const option = page.locator('#facility_id option', { hasText: centreName });
  await page.locator('#facility_id').selectOption(await option.getAttribute('value'));
}

// Finds a person by name as anyone with a duty would, and opens their open episode.
async function openFromSearch(page, query) {
  await page.goto(`${server.origin}/persons?q=${encodeURIComponent(query)}`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: query }).first().click()]);
  const open = page.getByTestId('episodes').getByRole('row').filter({ hasNotText: 'بسته' }).getByRole('link');
  await Promise.all([page.waitForNavigation(), open.first().click()]);
  assert.match(new URL(page.url()).pathname, /^\/episodes\/\d+$/);
}

let episodeUrl;
let mashhad;
let centreName;

test('setup: a welfare centre with free beds in Mashhad', async () => {
  const admin = server.login('admin');
  const login = await api('POST', '/api/v1/auth/login', { username: admin.username, password: admin.password });
  assert.equal(login.status, 200);
  const token = login.json.token;
  const counties = await api('GET', '/api/v1/counties', null, token);
  mashhad = counties.json.items.find((c) => c.name === 'مشهد');
  const agencies = await api('GET', '/api/v1/agencies', null, token);
  const welfare = agencies.json.items.find((a) => a.code === 'welfare');
  centreName = 'مرکز درمان امید نو';
  const created = await api('POST', '/api/v1/facilities', {
    code: 'story-omid', name: centreName, kind: 'treatment_centre', agency_id: welfare.id,
    county_id: mashhad.id, capacity_male: 40, capacity_female: 0,
  }, token);
  assert.equal(created.status, 201, JSON.stringify(created.json));
});

test('police collect a man and hand him over to screening', async () => {
  const page = await as('police.operator');
  await page.goto(`${server.origin}/episodes/new`);
  await page.getByLabel('نام', { exact: true }).fill('یاشار');
  await page.getByLabel('نام خانوادگی').fill('دلاوری‌نژاد');
  await page.getByLabel('نام پدر').fill('نعمت‌الله');
  await page.getByLabel('سال تولد (شمسی)').fill('۱۳۶۲');
  await page.getByLabel('شهرستان').selectOption({ label: 'مشهد' });
  await page.getByLabel('محل').fill('پارک کوهسنگی');
  await submit(page, 'collect-submit');
  episodeUrl = page.url();
  await page.getByTestId('notice').waitFor();
  assert.equal((await page.getByTestId('stage').innerText()).trim(), 'جمع‌آوری');
  assert.equal(await page.getByTestId('prior').count(), 0, 'a first collection');
  await submit(page, 'transfer');
  // Handed over: the duty and the sight of him pass to welfare; the police return to their queue.
  assert.equal(new URL(page.url()).pathname, '/inbox');
  await page.getByTestId('notice').waitFor();
  assert.equal((await page.goto(episodeUrl)).status(), 404);
});

test('welfare screens him from its queue; the prosecutor is refused four months, then orders two', async () => {
  const welfare = await as('welfare.operator');
  await openFromInbox(welfare, 'new', 'یاشار');
  await welfare.getByLabel('نتیجهٔ غربالگری').selectOption('admit_art16');
  await submit(welfare, 'screen');
  // Screened and waiting for the prosecutor: welfare's part is done for now.
  assert.equal(new URL(welfare.url()).pathname, '/inbox');

  const judge = await as('judiciary.operator');
  await openFromInbox(judge, 'new', 'یاشار');
  await judge.getByLabel('مدت (ماه)').fill('۴');
  await submit(judge, 'issue-order');
  const error = await judge.getByTestId('form-error').innerText();
  assert.match(error, /۱ تا ۳ ماه/);
  await judge.getByLabel('مدت (ماه)').fill('2');
  await judge.getByLabel('شمارهٔ دستور').fill('۱۴۰۵/۳۳۱');
  await submit(judge, 'issue-order');
  assert.equal((await judge.getByTestId('stage').innerText()).trim(), 'پذیرش');
});

test('welfare sees centres with a free bed in his county and admits him', async () => {
  const page = await as('welfare.operator');
  await page.goto(episodeUrl);
  const suggestions = await page.getByTestId('suggestions').innerText();
  assert.ok(suggestions.includes(centreName), `suggestions: ${suggestions}`);
  await chooseCentre(page);
  await submit(page, 'admit');
  assert.equal((await page.getByTestId('stage').innerText()).trim(), 'درمان و نگهداری');
  assert.equal(await page.getByTestId('past-legal-end').count(), 0);
});

test('vocational training takes a referral from its queue and records a course', async () => {
  const welfare = await as('welfare.operator');
  await welfare.goto(episodeUrl);
  await welfare.getByLabel('دستگاه گیرنده').selectOption({ label: 'ادارهٔ کل آموزش فنی و حرفه‌ای استان' });
  await welfare.getByLabel('هدف ارجاع').fill('دورهٔ مهارت‌آموزی جوشکاری');
  await submit(welfare, 'refer');

  const tvto = await as('tvto.operator');
  await openFromInbox(tvto, 'new', 'ارجاع');
  await submit(tvto, 'accept-referral');
  await tvto.getByLabel('نوع خدمت').selectOption('training');
  await tvto.getByLabel('شرح').fill('دورهٔ ۸۰ ساعته جوشکاری');
  await submit(tvto, 'record-service');
  await tvto.getByTestId('referral-outcome').fill('دوره را گذراند');
  await submit(tvto, 'complete-referral');
  // Its part done, vocational training no longer sees him.
  const res = await tvto.goto(episodeUrl);
  assert.equal(res.status(), 404);
});

test('discharge schedules after-care; welfare calls, labour records a job', async () => {
  const welfare = await as('welfare.operator');
  await welfare.goto(episodeUrl);
  await submit(welfare, 'discharge');
  assert.equal((await welfare.getByTestId('stage').innerText()).trim(), 'مراقبت پس از خروج');
  const tasks = await welfare.getByTestId('task').allInnerTexts();
  for (const month of ['ماه اول', 'ماه سوم', 'ماه ششم']) {
    assert.ok(tasks.some((t) => t.includes(month)), `an after-care contact for ${month}: ${tasks.join(' | ')}`);
  }
  await welfare.getByTestId('task-outcome-aftercare_1').fill('تماس تلفنی؛ در خانهٔ خانواده است');
  await submit(welfare, 'complete-aftercare_1');

  const labour = await as('labour.operator');
  await openFromSearch(labour, 'یاشار دلاوری‌نژاد');
  await labour.getByLabel('نوع خدمت').selectOption('job');
  await labour.getByLabel('شرح').fill('کارگر کارگاه نجاری');
  await submit(labour, 'record-service');
  assert.equal(new URL(labour.url()).pathname, '/inbox', 'its duty done, labour is back at its queue');

  const coordinator = await as('governorate.coordinator');
  await coordinator.goto(episodeUrl);
  const timeline = await coordinator.getByTestId('timeline').innerText();
  for (const step of ['جمع‌آوری', 'تحویل به غربالگری', 'پذیرش (مادهٔ ۱۶)', 'دستور نگهداری', centreName,
    'جوشکاری', 'ترخیص', 'کارگاه نجاری']) {
    assert.ok(timeline.includes(step), `the timeline shows «${step}»`);
  }
});

test('re-collected, typed with Arabic letters and no ZWNJ: the same man, a new episode', async () => {
  const page = await as('police.operator');
  await page.goto(`${server.origin}/episodes/new`);
  await page.getByLabel('نام', { exact: true }).fill('ياشار');           // Arabic yeh
  await page.getByLabel('نام خانوادگی').fill('دلاوري نژاد');            // Arabic yeh, a space for the ZWNJ
  await page.getByLabel('نام پدر').fill('نعمت الله');                   // no ZWNJ
  await page.getByLabel('سال تولد (شمسی)').fill('1363');                // a year off, ASCII digits
  await page.getByLabel('شهرستان').selectOption({ label: 'مشهد' });
  await submit(page, 'collect-submit');
  const candidate = page.getByTestId('candidate').filter({ hasText: 'یاشار' });
  await candidate.waitFor();
  await submit(page, 'same-person');
  const prior = await page.getByTestId('prior').innerText();
  assert.match(prior, /۱ بار پیش‌تر/);
  assert.equal((await page.getByTestId('person-name').innerText()).trim(), 'یاشار دلاوری‌نژاد');
  episodeUrl = page.url();
  await submit(page, 'transfer');
});

test('a stay past its order shows up, red, on the coordinator\'s home page', async () => {
  const welfare = await as('welfare.operator');
  await openFromInbox(welfare, 'new', 'یاشار');
  await welfare.getByLabel('نتیجهٔ غربالگری').selectOption('admit_art16');
  await submit(welfare, 'screen');
  // The order was issued on paper 45 days ago for one month and is recorded late.
  const judge = await as('judiciary.operator');
  await judge.goto(episodeUrl);
  await judge.getByLabel('مدت (ماه)').fill('1');
  await judge.getByLabel('تاریخ صدور (خالی: امروز)').fill(isoDaysAgo(45));
  await submit(judge, 'issue-order');
  await welfare.goto(episodeUrl);
  await chooseCentre(welfare);
  await welfare.getByLabel('تاریخ پذیرش (خالی: امروز)').fill(isoDaysAgo(20));
  await submit(welfare, 'admit');
  await welfare.getByTestId('past-legal-end').waitFor();

  const coordinator = await as('governorate.coordinator');
  await coordinator.goto(`${server.origin}/`);
  const card = coordinator.getByTestId('overdue-stays-card');
  const text = await card.innerText();
  assert.ok(text.includes('یاشار دلاوری‌نژاد'), text);
  const color = await card.locator('li').first().evaluate((el) => getComputedStyle(el).color);
  assert.equal(color, 'rgb(220, 53, 69)', 'listed in Bootstrap red');
});

test('no page showed a console error, a CSP violation or a foreign request', () => {
  const problems = [...people.values()].flatMap((p) => p.problems);
  assert.deepEqual(problems, []);
});
