// Issue 4 in Chromium: the provincial coordinator opens Peyvand, sees the dashboard on her home
// page, filters it by county and months (htmx swaps the panel, the address keeps the filter),
// and follows an agency's overdue figure down to the tasks behind it and on to an episode; she
// downloads the tables as XLSX and prints the monthly report for the council as a PDF.
//
//   PEYVAND_BIN=… PEYVAND_WEB_ROOT=… CHROMIUM=/usr/bin/chromium node --test tests/e2e/dashboard.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';

import { signedInStory } from './helpers.mjs';

const story = signedInStory('governorate.coordinator');

// The ASCII month code ("1405/08") of the Jalali month `delta` months from this one.
function jalaliMonth(delta) {
  const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: 'Asia/Tehran', year: 'numeric', month: 'numeric',
  }).formatToParts(new Date());
  const y = Number(parts.find((p) => p.type === 'year').value);
  const m = Number(parts.find((p) => p.type === 'month').value);
  const total = y * 12 + (m - 1) + delta;
  return `${Math.floor(total / 12)}/${String((total % 12) + 1).padStart(2, '0')}`;
}

test('the coordinator\'s home page is the dashboard, with charts and their tables', async () => {
  await story.page.goto(`${story.server.origin}/`);
  const dash = story.page.getByTestId('dashboard');
  await dash.waitFor();
  assert.ok((await dash.locator('svg[role=img]').count()) >= 4, 'four charts');
  for (const svg of await dash.locator('svg[role=img]').all()) {
    assert.ok((await svg.getAttribute('aria-label')).length > 0, 'every chart is labelled');
  }
  const collected = await story.page.getByTestId('funnel-collected').innerText();
  assert.match(collected, /^[۰-۹٬]+$/, 'figures in Persian digits');
});

test('filters by county and months swap the panel through htmx and keep the address', async () => {
  await story.page.goto(`${story.server.origin}/dashboard`);
  const from = jalaliMonth(-11);
  const to = jalaliMonth(0);
  await story.page.getByTestId('dashboard-from').fill(from);
  await story.page.getByTestId('dashboard-to').fill(to);
  const county = story.page.getByTestId('dashboard-county');
  const mashhad = await county.locator('option', { hasText: 'مشهد' }).first().getAttribute('value');
  await county.selectOption(mashhad);
  const swapped = story.page.waitForResponse((r) => r.url().includes('/dashboard?') &&
    r.request().headers()['hx-request'] === 'true');
  await story.page.getByTestId('dashboard-filter').getByRole('button', { name: 'نمایش' }).click();
  const res = await swapped;
  assert.equal(res.status(), 200);
  await story.page.waitForFunction((id) => new URL(location.href).searchParams.get('county') === id, mashhad);
  assert.equal(await story.page.getByTestId('dashboard-county').inputValue(), mashhad);
  const period = await story.page.getByTestId('dashboard-period').innerText();
  assert.ok(period.includes(' تا '), `a range of months: ${period}`);
  // A full reload of the pushed address shows the same filter.
  await story.page.reload();
  assert.equal(await story.page.getByTestId('dashboard-county').inputValue(), mashhad);
});

test('an agency\'s overdue figure leads to the tasks behind it, and on to an episode', async () => {
  await story.page.goto(`${story.server.origin}/dashboard?from=${jalaliMonth(-11)}&to=${jalaliMonth(0)}`);
  const overdue = story.page.locator('[data-testid^="dashboard-overdue-"]').first();
  await overdue.waitFor();
  const figure = (await overdue.innerText()).trim();
  await Promise.all([story.page.waitForNavigation(), overdue.click()]);
  assert.equal(new URL(story.page.url()).pathname, '/scorecards/tasks');
  const rows = story.page.locator('[data-testid^="scorecard-task-"]');
  await rows.first().waitFor();
  const shown = await rows.count();
  assert.ok(shown > 0, 'tasks are listed');
  // The figure and the list agree (the list pages at 50).
  const n = Number(figure.replace(/[۰-۹]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'.indexOf(d)).replace(/[٬,]/g, ''));
  assert.equal(shown, Math.min(n, 50), `the overdue figure ${figure} and the rows listed`);
  const episode = rows.getByRole('link', { name: 'پرونده' }).first();
  if (await episode.count()) {
    await Promise.all([story.page.waitForNavigation(), episode.click()]);
    assert.match(new URL(story.page.url()).pathname, /^\/episodes\/\d+$/);
  }
});

test('the dashboard\'s tables download as XLSX that opens with the figures shown', async () => {
  await story.page.goto(`${story.server.origin}/dashboard?from=${jalaliMonth(-11)}&to=${jalaliMonth(0)}`);
  const shown = (await story.page.getByTestId('funnel-collected').innerText()).trim();
  const [download] = await Promise.all([story.page.waitForEvent('download'), story.page.getByTestId('dashboard-xlsx').click()]);
  assert.equal(download.suggestedFilename(), 'dashboard.xlsx');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'peyvand-xlsx-')), 'dashboard.xlsx');
  await download.saveAs(file);
  // Read it with a real zip reader: the workbook, its right-to-left sheets and the figures.
  const unzip = (member) => execFileSync('unzip', ['-p', file, member]).toString('utf8');
  const book = unzip('xl/workbook.xml');
  for (const sheet of ['مسیر', 'تخت‌ها', 'وظایف دستگاه‌ها', 'روند دوازده‌ماهه']) {
    assert.ok(book.includes(`name="${sheet}"`), `sheet ${sheet}`);
  }
  const first = unzip('xl/worksheets/sheet1.xml');
  assert.ok(first.includes('rightToLeft="1"'));
  const collected = Number(shown.replace(/[۰-۹]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'.indexOf(d)).replace(/[٬,]/g, ''));
  assert.ok(first.includes(`<v>${collected}</v>`), `the collected figure ${collected} is in the sheet`);
  assert.ok(unzip('xl/sharedStrings.xml').includes('جمع‌آوری'));
});

// pdftotext wraps each left-to-right run (a number) of a right-to-left line in LRE … PDF
// together with the spaces that sit visually beside it: put those spaces back on their logical
// side (left of the run is after it) and drop the controls (as src/report/pdf_text.cpp does).
function pdfText(file) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8')
    .replace(/[\u202a\u202d]([^\u202c]*)\u202c?/g, (whole, run) => {
      const core = run.replace(/^ +| +$/g, '');
      if (!core) return run;
      const lead = run.length - run.replace(/^ +/, '').length;
      const trail = run.length - run.replace(/ +$/, '').length;
      return ' '.repeat(trail) + core + ' '.repeat(lead);
    })
    .replace(/[\u202a-\u202e]/g, '');
}

test('the monthly PDF report is made with its progress shown, and holds the month\'s figures', async () => {
  const month = jalaliMonth(-1);
  await story.page.goto(`${story.server.origin}/dashboard?from=${month}&to=${month}`);
  const shown = (await story.page.getByTestId('funnel-collected').innerText()).trim();
  assert.equal(await story.page.getByTestId('report-month').inputValue(), month, 'the period\'s month');
  // A report that is not ready within a second shows its progress. So that this small one does
  // too, the form asks the server not to wait for it at all.
  await story.page.getByTestId('report-form').evaluate((form) => {
    const wait = document.createElement('input');
    wait.type = 'hidden';
    wait.name = 'wait';
    wait.value = '0';
    form.append(wait);
  });
  const started = story.page.waitForResponse((r) => r.url().endsWith('/dashboard/report') &&
    r.request().method() === 'POST');
  await story.page.getByTestId('report-submit').click();
  const res = await started;
  assert.equal(res.status(), 202, 'not ready at once: the progress');
  const status = story.page.getByTestId('report-status');
  assert.ok((await status.locator('progress').count()) === 1 ||
    (await status.getByTestId('report-download').count()) === 1, 'a progress bar or the link');
  // htmx polls the status every second until the link is there.
  const link = story.page.getByTestId('report-download');
  await link.waitFor();
  assert.equal(await status.locator('progress').count(), 0, 'the bar is gone when it is ready');
  const [download] = await Promise.all([story.page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^peyvand-monthly-\d{4}-\d{2}\.pdf$/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'peyvand-pdf-')), 'report.pdf');
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(file);
  assert.ok(text.includes('گزارش ماهانهٔ هماهنگی به شورای استان'), text.slice(0, 400));
  assert.ok(text.includes('استان خراسان رضوی'));
  // The collected figure of the summary table is the dashboard's, in Persian digits.
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const at = lines.indexOf('جمعآوری');
  assert.ok(at >= 0, 'the summary lists the collected');
  assert.equal(lines[at + 1], shown, `collected ${shown} in the report`);
  for (const heading of ['مسیر: از جمعآوری تا اشتغال', 'انجام وظایف دستگاهها', 'اعتبارات مصوبات و کسری']) {
    assert.ok(text.includes(heading), heading);
  }
  assert.ok(!/[0-9]/.test(text), 'no ASCII digits where a person reads a number');
});

test('no page showed a console error, a CSP violation or a foreign request', () => {
  assert.deepEqual(story.watched.problems, []);
});
