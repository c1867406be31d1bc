// Starts Debian's chromium through playwright-core (never a downloaded browser), and a real
// `mitra serve` on a free port with a fresh database.

import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

export const mitraBinary = process.env.MITRA_BIN ??
  path.resolve(import.meta.dirname, '../../build/src/cli/mitra');

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

// Runs `mitra serve --port 0` on a new database; resolves to {url, origin, token, dir, stop}.
export async function startServer({zone = 'Europe/Berlin', setup = []} = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mitra-web-'));
  const db = path.join(dir, 'mitra.db');
  const env = {...process.env, MITRA_DB: db, TZ: 'UTC'};
  // zone '' : no --tz, so the zone saved in Settings is the one used (UTC until then).
  const tz = zone ? ['--tz', zone] : [];
  for (const args of setup) await run([...tz, ...args], env);
  const child = spawn(mitraBinary, [...tz, 'serve', '--port', '0'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mitra serve did not start: ${out}${log}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`mitra serve exited ${code}: ${out}${log}`)));
  });
  const parsed = new URL(url);
  return {
    url, dir, db, env,
    pid: child.pid,
    origin: parsed.origin,
    token: parsed.searchParams.get('token'),
    log: () => log,
    async api(method, route, body) {
      const response = await fetch(`${parsed.origin}/api/v1${route}`, {
        method,
        headers: {Authorization: `Bearer ${parsed.searchParams.get('token')}`, 'Content-Type': 'application/json'},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {status: response.status, json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null, text};
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(mitraBinary, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`mitra ${args.join(' ')}: ${out}`))));
  });
}

// A page that fails the test on any script error or Content-Security-Policy violation.
export async function newPage(browser, server, {viewport = {width: 390, height: 844}} = {}) {
  const context = await browser.newContext({viewport, acceptDownloads: true, serviceWorkers: 'allow'});
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|net::ERR_INTERNET_DISCONNECTED/.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  await page.goto(server.url);
  await page.waitForSelector('main h1');
  return {page, context, problems};
}
