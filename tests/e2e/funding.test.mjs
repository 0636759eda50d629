// Council resolutions in Chromium (issue 4, parts 4, 5 and 9): the provincial coordinator opens
// the resolutions, one resolution with its clauses, the agencies' tasks and credit and its
// ledger, then the decisions without funding, and downloads the unfunded clauses as CSV and a
// resolution's tables as XLSX; the files hold what the pages show.
//
//   PEYVAND_BIN=… PEYVAND_WEB_ROOT=… CHROMIUM=/usr/bin/chromium node --test tests/e2e/funding.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';

import { signedInStory } from './helpers.mjs';

const story = signedInStory('governorate.coordinator');

// Persian digits and separators → a number.
function number(text) {
  return Number(text.replace(/[۰-۹]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'.indexOf(d)).replace(/[٬,\s]|ریال/g, ''));
}

async function download(locator, dir) {
  const [file] = await Promise.all([story.page.waitForEvent('download'), locator.click()]);
  const to = path.join(dir, file.suggestedFilename());
  await file.saveAs(to);
  return { name: file.suggestedFilename(), to };
}

let resolutionPath;

test('the coordinator opens a resolution from the list: its clauses, tasks, credit and ledger', async () => {
  await story.page.goto(`${story.server.origin}/`);
  await Promise.all([story.page.waitForNavigation(), story.page.getByRole('link', { name: 'مصوبات', exact: true }).first().click()]);
  assert.equal(new URL(story.page.url()).pathname, '/resolutions');
  const rows = story.page.getByTestId('resolution-row');
  assert.ok((await rows.count()) >= 4, 'the demo resolutions are listed');
  await Promise.all([story.page.waitForNavigation(), rows.first().getByRole('link').first().click()]);
  resolutionPath = new URL(story.page.url()).pathname;
  assert.match(resolutionPath, /^\/resolutions\/\d+$/);
  assert.ok((await story.page.getByTestId('resolution-title').innerText()).length > 0);
  const clauses = story.page.getByTestId('clause');
  assert.ok((await clauses.count()) > 0, 'clauses');
  const share = story.page.getByTestId('share-row').first();
  await share.waitFor();
  assert.match(await share.innerText(), /[۰-۹]/, 'amounts in Persian digits');
  assert.ok((await story.page.locator('[data-testid^="task-"]').count()) > 0, 'each agency\'s task');
  const ledger = story.page.getByTestId('ledger-row');
  assert.ok((await ledger.count()) > 0, 'the ledger has entries');
});

test('a resolution\'s tables download as XLSX with both sheets', async () => {
  await story.page.goto(`${story.server.origin}${resolutionPath}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peyvand-funding-'));
  const xlsx = await download(story.page.getByTestId('exports').getByTestId('export-xlsx'), dir);
  assert.match(xlsx.name, /^resolution-\d+\.xlsx$/);
  const unzip = (member) => execFileSync('unzip', ['-p', xlsx.to, member]).toString('utf8');
  const book = unzip('xl/workbook.xml');
  assert.ok(book.includes('name="بندها"') && book.includes('name="دفتر اعتبار"'), book);
  assert.ok(unzip('xl/worksheets/sheet1.xml').includes('rightToLeft="1"'));
  // Every ledger row the page shows (its first page) is a row of the ledger sheet.
  const shown = await story.page.getByTestId('ledger-row').count();
  const rows = (unzip('xl/worksheets/sheet2.xml').match(/<row /g) || []).length;
  assert.ok(rows - 1 >= shown, `ledger: ${rows - 1} rows in the file, ${shown} on the page`);
});

test('the unfunded decisions, and their CSV holds every one with its gap', async () => {
  await story.page.goto(`${story.server.origin}/`);
  await Promise.all([story.page.waitForNavigation(), story.page.getByRole('link', { name: 'کسری اعتبار' }).first().click()]);
  assert.equal(new URL(story.page.url()).pathname, '/funding/unfunded');
  const rows = story.page.getByTestId('unfunded-row');
  assert.ok((await rows.count()) > 0, 'the demo data has unfunded clauses');
  const total = number(await story.page.getByTestId('total-gap').locator('strong').innerText());
  assert.ok(total > 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peyvand-funding-'));
  const csv = await download(story.page.getByTestId('exports').getByTestId('export-csv-0'), dir);
  assert.equal(csv.name, 'unfunded.csv');
  const text = fs.readFileSync(csv.to, 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 with a byte-order mark');
  const lines = text.trim().split('\r\n');
  assert.equal(lines.length - 1, await rows.count(), 'one line per unfunded clause (one page here)');
  // The last column is the gap in rials; they add up to the total the page shows.
  const gaps = lines.slice(1).map((l) => Number(l.slice(l.lastIndexOf(',') + 1)));
  assert.equal(gaps.reduce((a, b) => a + b, 0), total);
});

test('no page showed a console error, a CSP violation or a foreign request', () => {
  assert.deepEqual(story.watched.problems, []);
});
