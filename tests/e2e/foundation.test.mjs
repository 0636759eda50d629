// The foundation as a person meets it in a browser: signing in, the Persian right-to-left pages,
// user administration across agencies, the audit trail, error pages, password change, sign-out.
// One Chromium serves the whole file; each suite has its own seeded server, and each person in a
// test gets a browser context of their own (their own cookies).
//
//   PEYVAND_BIN=… PEYVAND_WEB_ROOT=… CHROMIUM=/usr/bin/chromium node --test tests/e2e/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { after, before, describe } from 'node:test';

import {
  expectErrorPage, expectFormError, followLink, jalaliToday, launchBrowser, newWatchedContext, signIn, signOut,
  startServer,
} from './helpers.mjs';

const kPersianDigit = /[۰-۹]/;
const kLatinDigit = /[0-9]/;

let browser;
let shotsDir;
// The server of the suite now running, and the browser contexts it has opened.
let server;
let contexts = [];

// A signed-out browser context for one person, watched for console errors, CSP violations and
// requests leaving loopback; every test ends by checking that none happened.
async function person() {
  server.assertAlive();
  const watched = await newWatchedContext(browser, server.origin);
  contexts.push(watched);
  const page = await watched.context.newPage();
  return { ...watched, page };
}

function assertNoProblems(...people) {
  const problems = people.flatMap((p) => p.problems);
  assert.deepEqual(problems, [], 'the browser saw errors, CSP violations or foreign requests');
}

async function signedIn(username) {
  const p = await person();
  await signIn(p.page, server.origin, server.login(username));
  return p;
}

// A test on the suite's server. When it fails, the error says whether the server had crashed (a
// browser timeout alone would not) and what the browser saw go wrong.
function serverTest(name, fn) {
  test(name, async (t) => {
    const first = contexts.length;
    try {
      await fn(t);
    } catch (err) {
      const notes = [];
      const seen = contexts.slice(first).flatMap((c) => c.problems);
      if (seen.length) notes.push(`the browser saw:\n  ${seen.join('\n  ')}`);
      try {
        server?.assertAlive();
      } catch (died) {
        notes.push(died.message);
      }
      if (!notes.length) throw err;
      // Reporters print the stack, which was fixed when the error was made: append there too.
      const extra = `\n${notes.join('\n')}`;
      err.message += extra;
      if (err.stack) err.stack = err.stack.replace(/\n    at [\s\S]*$/, (trace) => `${extra}${trace}`);
      throw err;
    }
  });
}

before(async () => {
  browser = await launchBrowser();
  shotsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peyvand-e2e-shots-'));
});

after(async () => {
  await browser?.close();
});

// Each suite gets its own freshly seeded server, so a crash or a changed password in one
// does not spill into the others; the tests inside a suite run in order and may build on each other.
function withServer() {
  before(async () => {
    server = undefined;
    contexts = [];
    server = await startServer();
  });
  after(async () => {
    for (const { context } of contexts) await context.close().catch(() => {});
    if (!server) return;
    const { code, signal, stderr } = await server.stop();
    assert.equal(code, 0,
      `peyvand serve did not exit cleanly on SIGTERM (${code ?? signal}); its data is kept in ${server.dir}\n${stderr}`);
  });
}

describe('signing in', () => {
  withServer();

  serverTest('login page is Persian, right-to-left, in Vazirmatn, and loads nothing foreign', async () => {
    const p = await person();
    const response = await p.page.goto(`${server.origin}/login`);
    assert.equal(response.status(), 200);
    assert.equal(await p.page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await p.page.locator('html').getAttribute('lang'), 'fa');
    await p.page.getByRole('heading', { name: 'ورود به پیوند' }).waitFor();
    assert.equal(await p.page.getByRole('alert').count(), 0, 'no error box before any attempt');

    const look = await p.page.evaluate(async () => {
      await document.fonts.ready;
      const vazirmatn = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Vazirmatn');
      const button = document.querySelector('button[type=submit]');
      const brand = document.querySelector('.navbar-brand').getBoundingClientRect();
      return {
        direction: getComputedStyle(document.body).direction,
        bodyFont: getComputedStyle(document.body).fontFamily,
        loadedFaces: vazirmatn.filter((f) => f.status === 'loaded').length,
        fontUsable: document.fonts.check('16px Vazirmatn', 'ورود'),
        // Bootstrap applied: the primary button is filled, not a bare grey system button.
        buttonBackground: getComputedStyle(button).backgroundColor,
        // Right-to-left layout: the brand sits at the right-hand end of the navbar.
        brandRight: brand.right,
        brandLeft: brand.left,
        width: document.documentElement.clientWidth,
      };
    });
    assert.equal(look.direction, 'rtl');
    assert.match(look.bodyFont, /^"?Vazirmatn"?,/);
    assert.ok(look.loadedFaces >= 1, 'a Vazirmatn font face is loaded');
    assert.ok(look.fontUsable, 'Vazirmatn can render the page text');
    assert.equal(look.buttonBackground, 'rgb(13, 110, 253)', 'Bootstrap styles the primary button');
    assert.ok(look.brandLeft > look.width / 2, `brand at the right (left edge ${look.brandLeft} of ${look.width})`);

    // The glyphs on screen really come from Vazirmatn, not a fallback system font.
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    assert.deepEqual(fonts.map((f) => f.familyName), ['Vazirmatn'], 'fonts used to draw the heading');
    await cdp.detach();

    assertNoProblems(p);
  });

  serverTest('wrong password is refused in Persian; the right one opens the home page', async (t) => {
    const admin = server.login('admin');
    const p = await person();
    const { page } = p;

    await page.goto(`${server.origin}/login`);
    await page.getByLabel('نام کاربری').fill(admin.username);
    await page.getByLabel('گذرواژه', { exact: true }).fill(`${admin.password}x`);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${server.origin}/login` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'ورود' }).click(),
    ]);
    assert.equal(refused.status(), 401);
    await expectFormError(page, 'نام کاربری یا گذرواژه نادرست است');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.getByLabel('نام کاربری').inputValue(), admin.username, 'username kept');
    assert.equal(await page.getByLabel('گذرواژه', { exact: true }).inputValue(), '', 'password not echoed');

    const before = jalaliToday();
    await page.getByLabel('گذرواژه', { exact: true }).fill(admin.password);
    await Promise.all([page.waitForURL(`${server.origin}/`), page.getByRole('button', { name: 'ورود' }).click()]);
    const after = jalaliToday();

    assert.equal((await page.getByTestId('agency-name').textContent()).trim(), admin.agency);
    assert.ok((await page.getByTestId('whoami').textContent()).includes(admin.agency), 'navbar names the agency');
    const today = (await page.getByTestId('today').textContent()).trim();
    assert.match(today, kPersianDigit);
    assert.doesNotMatch(today, kLatinDigit);
    assert.ok([before, after].includes(today), `today «${today}», expected «${before}»`);
    for (const [label, href] of [['کاربران', '/admin/users'], ['دستگاه‌ها', '/admin/agencies'],
      ['شهرستان‌ها', '/admin/counties'], ['گزارش ممیزی', '/audit'], ['تغییر گذرواژه', '/password']]) {
      assert.equal(await page.getByRole('link', { name: label, exact: true }).getAttribute('href'), href);
    }

    const shot = path.join(shotsDir, 'home.png');
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
    assertNoProblems(p);
  });
});

// Filled in by the user-creation test, used by the agency-isolation test.
const created = { username: 'e2e.welfare.worker', displayName: 'زهرا کریمی آزمون', password: 'Peyvand-e2e-2026', id: null };

describe('user administration across agencies', () => {
  withServer();

  serverTest('admin creates a welfare user (a short password is refused first), finds it, and it signs in', async (t) => {
    const welfare = server.login('welfare.operator').agency;
    const admin = await signedIn('admin');
    const { page } = admin;
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });

    await followLink(page, 'کاربران', '/admin/users');
    await followLink(page, 'کاربر تازه', '/admin/users/new');

    await page.getByLabel('نام کاربری').fill(created.username);
    await page.getByLabel('نام نمایشی').fill(created.displayName);
    await page.getByLabel('دستگاه', { exact: true }).selectOption({ label: welfare });
    await page.getByLabel('کارشناس', { exact: true }).check();
    await page.getByLabel(/^گذرواژهٔ اولیه/).fill('kotah-12');

    // The browser's own check stops a password under ten characters before anything is sent.
    await page.getByRole('button', { name: 'ثبت کاربر' }).click();
    assert.equal(new URL(page.url()).pathname, '/admin/users/new');
    const tooShort = await page.getByLabel(/^گذرواژهٔ اولیه/).evaluate((el) => el.validity.tooShort);
    assert.ok(tooShort, 'the password field reports it is too short');
    assert.deepEqual(posts, [], 'nothing was submitted');

    // The server must refuse it too (an old browser, or a hand-made request, skips that check).
    await page.locator('form[action="/admin/users"]').evaluate((form) => { form.noValidate = true; });
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'ثبت کاربر' }).click(),
    ]);
    assert.equal(refused.status(), 400);
    await expectFormError(page, 'گذرواژه باید دست‌کم ۱۰ نویسه باشد');
    assert.equal(await page.getByLabel('نام کاربری').inputValue(), created.username, 'form kept the username');
    assert.equal(await page.getByLabel('نام نمایشی').inputValue(), created.displayName);
    assert.equal(await page.getByLabel('دستگاه', { exact: true }).locator('option:checked').textContent(), welfare);
    assert.ok(await page.getByLabel('کارشناس', { exact: true }).isChecked(), 'form kept the role');

    // Nothing was created: the user list (in another tab) does not know the name.
    const list = await admin.context.newPage();
    await list.goto(`${server.origin}/admin/users?q=${created.username}`);
    await list.getByTestId('empty').waitFor();
    await list.close();

    await page.getByLabel(/^گذرواژهٔ اولیه/).fill(created.password);
    await Promise.all([
      page.waitForURL(/\/admin\/users\/\d+\?created=1$/),
      page.getByRole('button', { name: 'ثبت کاربر' }).click(),
    ]);
    created.id = Number(/\/admin\/users\/(\d+)\?/.exec(page.url())[1]);
    await page.getByRole('status').filter({ hasText: 'کاربر ثبت شد.' }).waitFor();
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), created.displayName);

    // Found through the search box on the user list.
    await followLink(page, 'کاربران', '/admin/users');
    await page.getByRole('textbox', { name: 'جست‌وجو' }).fill(created.username);
    await Promise.all([
      page.waitForURL(/\/admin\/users\?q=/),
      page.getByRole('button', { name: 'جست‌وجو' }).click(),
    ]);
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const cells = (await rows.first().locator('td').allTextContents()).map((s) => s.trim());
    assert.deepEqual(cells.slice(0, 4), [created.displayName, created.username, welfare, 'کارشناس']);
    assert.equal(cells[4], 'فعال');
    assert.match(cells[5], /^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}$/, 'creation date: Jalali, Persian digits');
    const shot = path.join(shotsDir, 'admin-users.png');
    await page.getByRole('textbox', { name: 'جست‌وجو' }).fill('');
    await Promise.all([page.waitForURL(/\/admin\/users\?q=$/), page.getByRole('button', { name: 'جست‌وجو' }).click()]);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);

    // The new person signs in on their own browser and lands in the welfare agency.
    const newcomer = await person();
    await signIn(newcomer.page, server.origin, { username: created.username, password: created.password });
    assert.equal((await newcomer.page.getByTestId('agency-name').textContent()).trim(), welfare);
    assert.ok((await newcomer.page.getByTestId('whoami').textContent()).includes(created.displayName));
    assert.equal(await newcomer.page.getByRole('link', { name: 'کاربران', exact: true }).count(), 0,
      'an operator has no user administration link');

    assertNoProblems(admin, newcomer);
  });

  serverTest('a police agency manager sees only police users, cannot open a welfare user, and is audited', async () => {
    assert.ok(created.id, 'needs the welfare user from the user-creation test');
    const police = server.login('police.agency-manager').agency;
    const manager = await signedIn('police.agency-manager');
    const { page } = manager;

    await followLink(page, 'کاربران', '/admin/users');
    const agencies = (await page.locator('tbody tr td:nth-child(3)').allTextContents()).map((s) => s.trim());
    const usernames = (await page.locator('tbody tr td:nth-child(2)').allTextContents()).map((s) => s.trim());
    assert.ok(agencies.length >= 5, `police has at least its five demo users, saw ${agencies.length}`);
    assert.deepEqual(new Set(agencies), new Set([police]), 'every row is a police user');
    assert.ok(usernames.every((u) => u.startsWith('police.')), usernames.join(', '));
    assert.equal(await page.getByRole('link', { name: 'بعدی' }).count(), 0, 'one page holds them all');

    // Searching for the welfare user finds nothing for this manager.
    await page.getByRole('textbox', { name: 'جست‌وجو' }).fill(created.username);
    await Promise.all([page.waitForURL(/\?q=/), page.getByRole('button', { name: 'جست‌وجو' }).click()]);
    await page.getByTestId('empty').waitFor();

    const denied = await page.goto(`${server.origin}/admin/users/${created.id}`);
    await expectErrorPage(page, denied, 404, /پیدا نشد/);
    assert.equal(await page.getByText(created.displayName).count(), 0, 'nothing of the user leaks');

    // The administrator finds the refused attempt in the audit report.
    const admin = await signedIn('admin');
    await followLink(admin.page, 'گزارش ممیزی', '/audit');
    await admin.page.getByRole('textbox', { name: 'کنش', exact: true }).fill('access.denied');
    await Promise.all([
      admin.page.waitForURL(/\/audit\?.*action=access\.denied/),
      admin.page.getByRole('button', { name: 'صافی' }).click(),
    ]);
    const rows = admin.page.locator('tbody tr');
    const entries = [];
    for (let i = 0; i < await rows.count(); i++) {
      entries.push((await rows.nth(i).locator('td').allTextContents()).map((s) => s.trim()));
    }
    // Columns: # · time · user · action · record · summary · request id.
    assert.ok(entries.length > 0, 'the filter lists the denied access');
    assert.ok(entries.every((e) => e[3] === 'access.denied'), 'the filter keeps only access.denied');
    const mine = entries.filter((e) => e[2] === 'police.agency-manager' && e[4] === `user/${created.id}`);
    assert.equal(mine.length, 1, JSON.stringify(entries));
    assert.match(mine[0][1], kPersianDigit, 'time shown in Persian digits');

    assertNoProblems(manager, admin);
  });
});

describe('access, errors and the session', () => {
  withServer();

  serverTest('an operator gets the Persian 403 page at /audit, and an unknown page is a Persian 404', async () => {
    const operator = await signedIn('police.operator');
    const { page } = operator;
    assert.equal(await page.getByRole('link', { name: 'گزارش ممیزی' }).count(), 0, 'no audit link for an operator');

    const forbidden = await page.goto(`${server.origin}/audit`);
    await expectErrorPage(page, forbidden, 403, /اجازه/);
    assert.equal(await page.locator('table').count(), 0, 'no audit entries shown');

    const missing = await page.goto(`${server.origin}/no/such/page`);
    await expectErrorPage(page, missing, 404, /پیدا نشد/);

    // The way back works.
    await Promise.all([page.waitForURL(`${server.origin}/`), page.getByRole('link', { name: 'بازگشت به خانه' }).click()]);
    await page.getByTestId('agency-name').waitFor();
    assertNoProblems(operator);
  });

  serverTest('changing the password: a mismatch is refused, then only the new password works', async () => {
    const account = server.login('judiciary.researcher');
    const newPassword = 'Tazeh-gozarvazheh-1405';
    const p = await signedIn(account.username);
    const { page } = p;

    await followLink(page, 'تغییر گذرواژه', '/password');
    await page.getByLabel('گذرواژهٔ فعلی').fill(account.password);
    await page.getByLabel(/^گذرواژهٔ تازه/).fill(newPassword);
    await page.getByLabel('تکرار گذرواژهٔ تازه').fill(`${newPassword}!`);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'ذخیره' }).click(),
    ]);
    assert.equal(refused.status(), 400);
    await expectFormError(page, 'تکرار گذرواژهٔ تازه با خودش یکی نیست');
    assert.equal(new URL(page.url()).pathname, '/password', 'still signed in, on the form');

    await page.getByLabel('گذرواژهٔ فعلی').fill(account.password);
    await page.getByLabel(/^گذرواژهٔ تازه/).fill(newPassword);
    await page.getByLabel('تکرار گذرواژهٔ تازه').fill(newPassword);
    await Promise.all([page.waitForURL(/\/login(\?|$)/), page.getByRole('button', { name: 'ذخیره' }).click()]);

    // Signed out everywhere: the home page sends us back to the login form.
    await page.goto(`${server.origin}/`);
    assert.equal(new URL(page.url()).pathname, '/login');

    await page.getByLabel('نام کاربری').fill(account.username);
    await page.getByLabel('گذرواژه', { exact: true }).fill(account.password);
    const [oldRefused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'ورود' }).click(),
    ]);
    assert.equal(oldRefused.status(), 401, 'the old password no longer works');
    await expectFormError(page, 'نام کاربری یا گذرواژه نادرست است');

    await page.getByLabel('گذرواژه', { exact: true }).fill(newPassword);
    await Promise.all([page.waitForURL(`${server.origin}/`), page.getByRole('button', { name: 'ورود' }).click()]);
    assert.equal((await page.getByTestId('agency-name').textContent()).trim(), account.agency);
    assertNoProblems(p);
  });

  serverTest('signing out returns to the login page and the home page is closed afterwards', async () => {
    const p = await signedIn('labour.coordinator');
    const { page } = p;
    await signOut(page, server.origin);
    await page.getByRole('button', { name: 'ورود' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'خروج' }).count(), 0);

    // The browser's back button does not bring the signed-in page back…
    await page.goBack();
    await page.waitForURL(/\/login$/);
    await page.getByRole('button', { name: 'ورود' }).waitFor();
    // …and neither does typing the address.
    await page.goto(`${server.origin}/`);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.getByTestId('agency-name').count(), 0);
    assertNoProblems(p);
  });
});
