// Shared helpers for the browser tests: a real `peyvand` server on port 0 in a scratch folder,
// a real Chromium driven by playwright-core, and a watcher that collects whatever a page does
// wrong (console errors, CSP violations, requests leaving loopback).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const peyvandBin = process.env.PEYVAND_BIN || path.join(repoRoot, 'build/debug/peyvand');
export const webRoot = process.env.PEYVAND_WEB_ROOT || path.join(repoRoot, 'build/debug/web');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

// ESM `import 'playwright-core'` does not resolve from tests/e2e; the package lives with the
// front-end assets in web/node_modules.
const require = createRequire(import.meta.url);
const { chromium } = require(path.join(repoRoot, 'web/node_modules/playwright-core'));

// Cheap password hashing and no per-IP login throttle: every test signs in from 127.0.0.1.
const kServerEnv = {
  PEYVAND_ARGON2_MEM_KIB: '8192',
  PEYVAND_LOGIN_IP_ATTEMPTS: '1000',
};

// Other engineers relink the binary while we run; starting it then fails with ETXTBSY or ENOENT.
// That is not the server being slow, so a short pause and another try is the right response.
const kRelinkRetries = 20;
const kRelinkPauseMs = 500;

const kStepTimeoutMs = 10_000;
const kReadyTimeoutMs = 60_000;
const kRecentLogLines = 5;

// {"method":"GET","path":"/x","status":"200",…} → "GET /x 200"; other lines stay as they are.
function summarizeLogLine(line) {
  try {
    const entry = JSON.parse(line);
    if (entry.method && entry.path) return `${entry.method} ${entry.path} ${entry.status}`;
  } catch {
    // not JSON
  }
  return line;
}

function isRelinkError(err) {
  return err && (err.code === 'ETXTBSY' || err.code === 'ENOENT');
}

async function spawnRetrying(args, options) {
  for (let attempt = 1; ; attempt++) {
    const child = spawn(peyvandBin, args, options);
    try {
      await once(child, 'spawn');
      return child;
    } catch (err) {
      if (!isRelinkError(err) || attempt >= kRelinkRetries) throw err;
      await delay(kRelinkPauseMs);
    }
  }
}

function collect(stream) {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function seedDemo(dir, env) {
  const child = await spawnRetrying(['seed', '--demo'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  const [code, signal] = await once(child, 'exit');
  if (code !== 0) {
    throw new Error(`peyvand seed --demo exited ${code ?? signal}\n${out()}\n${err()}`);
  }
}

// username → { password, role, agency }
export function readDemoLogins(dir) {
  const text = fs.readFileSync(path.join(dir, 'data', 'demo-logins.txt'), 'utf8');
  const logins = new Map();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [username, password, role, ...agency] = line.trim().split(/\s+/);
    logins.set(username, { username, password, role, agency: agency.join(' ') });
  }
  return logins;
}

// Seeds a scratch folder with the demo data and starts `peyvand serve` on a free port.
// Resolves once the server has printed its address; `stop()` sends SIGTERM and returns the exit code.
export async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peyvand-e2e-'));
  const env = { ...process.env, ...kServerEnv };
  await seedDemo(dir, env);
  const logins = readDemoLogins(dir);

  const child = await spawnRetrying(['serve', '--port', '0', '--web-root', webRoot], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = collect(child.stderr);
  const exited = once(child, 'exit');

  // The server writes JSON access-log lines to stdout for as long as it runs: keep reading them
  // (a full pipe would block it) and keep the last few for error messages.
  const recent = [];
  const lines = readline.createInterface({ input: child.stdout });
  let timer;
  const ready = new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      recent.push(summarizeLogLine(line));
      if (recent.length > kRecentLogLines) recent.shift();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) resolve(m[1]);
    });
    exited.then(
      ([code, signal]) => reject(new Error(`peyvand serve exited (${code ?? signal}) before it was ready\n${stderr()}`)),
      reject);
    // Not a performance limit: only so that a server that never comes up fails the run
    // instead of hanging it.
    timer = setTimeout(() => reject(new Error(`peyvand serve printed no address in ${kReadyTimeoutMs} ms\n${stderr()}`)),
      kReadyTimeoutMs);
  });

  let origin;
  try {
    origin = await ready;
  } catch (err) {
    child.kill('SIGKILL');
    await exited.catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    clearTimeout(timer);
  }

  let stopped;
  return {
    origin,
    dir,
    logins,
    login(username) {
      const entry = logins.get(username);
      if (!entry) throw new Error(`no demo login ${username}`);
      return entry;
    },
    stderr,
    // A crash in one test otherwise shows up in the next ones as a bare "connection refused".
    assertAlive() {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`peyvand serve has died (${child.exitCode ?? child.signalCode}); data in ${dir}\n` +
          `last requests answered:\n  ${recent.join('\n  ')}\n${stderr().slice(0, 4000)}`);
      }
    },
    // Idempotent: after() calls it even when a test already did.
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const [code, signal] = await exited;
        if (code === 0) fs.rmSync(dir, { recursive: true, force: true });
        return { code, signal, stderr: stderr() };
      })();
      return stopped;
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

// A fresh browser context (its own cookies: one person) that records everything a page should
// never do. `problems` lists them as readable strings; a clean run leaves it empty.
export async function newWatchedContext(browser, origin) {
  const context = await browser.newContext({ locale: 'fa-IR', viewport: { width: 1280, height: 800 } });
  // Every step is one page load or click on a local server; a wait this long means it is stuck.
  context.setDefaultTimeout(kStepTimeoutMs);
  const problems = [];
  // Chrome logs a console error for every response ≥ 400, including pages that are *meant* to be
  // 401/403/404; those documents are the test's business, so they are not counted here.
  const errorDocuments = new Set();
  const allowedHost = new URL(origin).host;

  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' ||
         url.protocol === 'wss:') && url.host !== allowedHost) {
      problems.push(`request to another host: ${url.href}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  await context.exposeBinding('__peyvandCspViolation', ({ page }, v) => {
    problems.push(`CSP violation on ${page.url()}: ${v.directive} blocked ${v.blocked}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__peyvandCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI || e.sample });
    });
  });

  const watch = (page) => {
    page.on('response', (res) => {
      if (res.request().resourceType() === 'document' && res.status() >= 400) errorDocuments.add(res.url());
    });
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location().url;
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) &&
          errorDocuments.has(where)) {
        return;
      }
      problems.push(`console error on ${page.url()}: ${msg.text()} (${where})`);
    });
    page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText ?? '';
      // Our own abort above is already recorded; a navigation superseded by another is normal.
      if (failure.includes('ERR_BLOCKED_BY_CLIENT') || failure.includes('ERR_ABORTED')) return;
      problems.push(`request failed: ${req.url()} ${failure}`);
    });
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'document' && res.status() >= 400) {
        problems.push(`${res.status()} for ${res.request().resourceType()} ${res.url()}`);
      }
    });
  };
  context.on('page', watch);
  return { context, problems };
}

// Signs in through the login form, as a person would, and waits for the home page.
export async function signIn(page, origin, { username, password }) {
  await page.goto(`${origin}/login`);
  await page.getByLabel('نام کاربری').fill(username);
  await page.getByLabel('گذرواژه', { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL(`${origin}/`),
    page.getByRole('button', { name: 'ورود' }).click(),
  ]);
}

// A test file whose story one signed-in person walks: before its tests, Chromium, a server with
// the demo data and a page signed in as `username`; after them, both closed and the server's
// clean exit checked. The fields (browser, server, watched, page) are set once `before` has run.
export function signedInStory(username) {
  const story = {};
  before(async () => {
    story.browser = await launchBrowser();
    story.server = await startServer();
    story.watched = await newWatchedContext(story.browser, story.server.origin);
    story.page = await story.watched.context.newPage();
    await signIn(story.page, story.server.origin, story.server.login(username));
  });
  after(async () => {
    await story.watched?.context.close().catch(() => {});
    await story.browser?.close();
    if (story.server) {
      const { code, stderr } = await story.server.stop();
      assert.equal(code, 0, `peyvand serve did not exit cleanly\n${stderr}`);
    }
  });
  return story;
}

export async function signOut(page, origin) {
  await Promise.all([
    page.waitForURL(`${origin}/login`),
    page.getByRole('button', { name: 'خروج' }).click(),
  ]);
}

// Jalali date as the server shows it (Tehran time), for now; the test also accepts the date a
// moment later, so a run across midnight does not fail.
export function jalaliToday() {
  return new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-arabext', {
    timeZone: 'Asia/Tehran', day: 'numeric', month: 'long', year: 'numeric',
  }).format(new Date());
}

// The red box above a form, with the Persian message a person needs to correct the input.
export async function expectFormError(page, text) {
  const box = page.getByTestId('form-error');
  await box.waitFor();
  const shown = (await box.innerText()).trim();
  assert.ok(shown.includes(text), `the form error reads «${shown}»; expected it to say «${text}»`);
}

// Clicks a link and checks where it led; a page that failed to load (a crashed server) shows up
// here as a wrong address rather than as a timeout further on.
export async function followLink(page, name, pathname) {
  await page.getByRole('link', { name, exact: true }).click();
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, pathname, `following «${name}»`);
}

// A Persian error page (403, 404…) in the site's layout, with a way back home.
export async function expectErrorPage(page, response, status, messagePart) {
  assert.equal(response.status(), status, `status of ${page.url()}`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fa');
  const message = await page.getByTestId('error-message').textContent();
  assert.match(message, messagePart);
  await page.getByRole('link', { name: 'بازگشت به خانه' }).waitFor();
}
