// Issue 4, escalation, in Chromium: the server's first scan at start reports welfare's overdue
// tasks to its manager; she sees the unread count in the header (filled in by htmx), opens the
// notifications page, follows one to her queue's overdue tab, and the count is gone.
//
//   PEYVAND_BIN=… PEYVAND_WEB_ROOT=… CHROMIUM=/usr/bin/chromium node --test tests/e2e/notifications.test.mjs
import assert from 'node:assert/strict';
import test, { after, before } from 'node:test';

import { launchBrowser, newWatchedContext, signIn, startServer } from './helpers.mjs';

let browser;
let server;
let watched;
let page;

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  watched = await newWatchedContext(browser, server.origin);
  page = await watched.context.newPage();
  await signIn(page, server.origin, server.login('welfare.agency-manager'));
});

after(async () => {
  await watched?.context.close().catch(() => {});
  await browser?.close();
  if (server) {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0, `peyvand serve did not exit cleanly\n${stderr}`);
  }
});

test('the header shows the unread count and the page lists the escalation', async () => {
  // The scan runs as the server starts; until it has, the header shows the plain link.
  const badge = page.getByTestId('unread-count');
  for (let i = 0; i < 20 && (await badge.count()) === 0; i++) {
    // htmx fills the link in after the page has loaded: wait for that answer, then look.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/notifications/badge')),
      page.reload(),
    ]);
    await page.waitForLoadState('networkidle');
  }
  assert.match(await badge.innerText(), /^[۰-۹]+/, 'an unread count in Persian digits');

  await Promise.all([page.waitForURL(/\/notifications$/), page.getByTestId('notifications-link').click()]);
  const items = page.getByTestId('notification');
  assert.ok((await items.count()) >= 1);
  const first = items.first();
  assert.match(await first.innerText(), /وظایف معوق در کارتابل ادارهٔ کل بهزیستی استان/);
  assert.match(await first.innerText(), /[۰-۹]+ وظیفه/);
});

test('opening a notification goes to the overdue tab of the queue and marks it read', async () => {
  await page.goto(`${server.origin}/notifications`);
  const unreadBefore = await page.locator('[data-testid=notification].list-group-item-warning').count();
  assert.ok(unreadBefore >= 1);
  await Promise.all([
    page.waitForURL(/\/inbox\?view=overdue$/),
    page.getByTestId('notification').first().getByRole('button', { name: 'دیدن وظایف' }).click(),
  ]);
  await page.goto(`${server.origin}/notifications`);
  assert.equal(await page.locator('[data-testid=notification].list-group-item-warning').count(), unreadBefore - 1);
  if (unreadBefore > 1) {
    await Promise.all([page.waitForURL(/done=all/), page.getByTestId('read-all').click()]);
  }
  assert.equal(await page.locator('[data-testid=notification].list-group-item-warning').count(), 0);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/notifications/badge')),
    page.reload(),
  ]);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByTestId('unread-count').count(), 0, 'no count once everything is read');
  assert.deepEqual(watched.problems, []);
});
