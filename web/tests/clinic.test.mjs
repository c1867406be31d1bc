// Clinic mode in the browser (issue 17; docs/clinic.md), at a phone's size: a person signs up
// with an invitation and signs in, shares with a specialist, the specialist sees them in People,
// the person asks to be contacted and sees it handled, sees who looked, and stops sharing; axe
// finds no serious violation on the clinic pages. Two `mitra serve --clinic` instances on one
// PostgreSQL database (the ctest run's throwaway cluster, or one of its own when run by hand).

import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {launchBrowser, mitraBinary} from './browser.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const pgScript = path.resolve(import.meta.dirname, '../../tests/pg/pg_cluster.sh');
const phone = {width: 390, height: 844};
const password = 'a long enough passphrase';

function pg(...args) {
  return execFileSync('bash', [pgScript, ...args], {encoding: 'utf8'}).trim();
}

// The run's cluster (ctest's fixture) when there is one, else a cluster of this test's own.
function newDatabase() {
  let cluster;
  let own = false;
  try {
    cluster = pg('shared');
  } catch {
    cluster = pg('start');
    own = true;
  }
  const name = `clinic_web_${process.pid}`;
  pg('createdb', cluster, name);
  return {url: pg('url', cluster, name), release: () => (own ? pg('stop', cluster) : pg('dropdb', cluster, name))};
}

function startClinic(db) {
  const child = spawn(mitraBinary, ['--db', db, '--tz', 'UTC', 'serve', '--clinic', '--port', '0'],
    {stdio: ['ignore', 'pipe', 'pipe']});
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mitra serve --clinic did not start: ${out}${log}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({origin: new URL(m[1]).origin, log: () => log, stop: () => new Promise((done) => {
          child.on('exit', done);
          child.kill('SIGTERM');
        })});
      }
    });
    child.on('exit', (code) => reject(new Error(`mitra serve --clinic exited ${code}: ${out}${log}`)));
  });
}

function invite(db, role) {
  const out = execFileSync(mitraBinary, ['--db', db, '--json', 'clinic', 'invite', '--role', role], {encoding: 'utf8'});
  return JSON.parse(out).code;
}

let browser;
let database;
let servers = [];
before(async () => {
  database = newDatabase();
  servers = [await startClinic(database.url), await startClinic(database.url)];
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
  database?.release();
});

async function open(server) {
  const context = await browser.newContext({viewport: phone, bypassCSP: true, reducedMotion: 'reduce'});
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${server.origin}/`);
  await page.getByRole('heading', {name: 'Sign in to mitra'}).waitFor();
  return {page, context, problems};
}

async function signUp(page, code, username) {
  const form = page.locator('form', {has: page.getByRole('heading', {name: 'New here? Create your account'})});
  await form.getByLabel('Invitation code').fill(code);
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', {name: 'Create account'}).click();
  await page.getByRole('heading', {name: 'Home'}).or(page.locator('main h1')).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('main .loading') && location.hash === '#/home');
}

async function go(page, route) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
  await page.waitForFunction(() => !document.querySelector('main .loading') && document.querySelector('main h1'));
}

const shots = process.env.MITRA_SCREENSHOTS ?? path.resolve(import.meta.dirname, '../../build/web-screenshots');

async function axe(page, where) {
  mkdirSync(shots, {recursive: true});
  await page.screenshot({path: path.join(shots, `clinic-${where}.png`), fullPage: true});
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({content: axeSource});
  const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

test('sign-up, sharing, the specialist\'s people, a contact request and stopping, at a phone\'s size', async () => {
  const found = [];
  const alex = await open(servers[0]);
  const sam = await open(servers[1]);
  try {
    found.push(...await axe(alex.page, 'sign-in'));
    // A wrong invitation is refused, naming the field.
    const form = alex.page.locator('form', {has: alex.page.getByRole('heading', {name: 'New here? Create your account'})});
    await form.getByLabel('Invitation code').fill('not-a-code');
    await form.getByLabel('Username').fill('alex');
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', {name: 'Create account'}).click();
    await form.locator('.message').getByText(/Invitation code/).waitFor();

    await signUp(alex.page, invite(database.url, 'person'), 'alex');
    await signUp(sam.page, invite(database.url, 'specialist'), 'sam');
    // The tabs follow the role.
    await alex.page.getByRole('link', {name: 'Talk to a specialist'}).waitFor();
    await sam.page.getByRole('link', {name: 'People'}).waitFor();

    // Alex logs a dose (the app's own Home form) and shares pattern and journal with sam.
    await alex.page.getByLabel('Amount', {exact: true}).fill('2');
    await alex.page.getByRole('button', {name: 'Log dose'}).click();
    await alex.page.getByText(/^Logged /).waitFor();
    await go(alex.page, 'account');
    found.push(...await axe(alex.page, 'account'));
    const share = alex.page.locator('form', {has: alex.page.getByRole('heading', {name: 'Share with a specialist'})});
    await share.getByLabel('Specialist\'s username').fill('sam');
    await share.getByLabel('Pattern: how often and how much').check();
    await share.getByLabel('Journal: each dose and other substance').check();
    await share.getByRole('button', {name: 'Share'}).click();
    await alex.page.getByRole('button', {name: 'Stop sharing with sam'}).waitFor();

    // Sam, on the other instance, sees alex, and what alex shares.
    await go(sam.page, 'people');
    await sam.page.locator('ul.people li', {hasText: 'alex'}).waitFor();
    assert.match(await sam.page.locator('ul.people li').first().textContent(), /pattern, journal/);
    found.push(...await axe(sam.page, 'people'));
    // Sam opens alex's page: the dose alex logged; check-ins and plan are not shared.
    await sam.page.locator('ul.people li').first().getByRole('link', {name: 'alex'}).click();
    await sam.page.getByRole('heading', {name: 'alex', level: 1}).waitFor();
    const doses = sam.page.locator('section', {has: sam.page.getByRole('heading', {name: 'Doses, last two weeks'})});
    await doses.getByText(/2 g/).waitFor();
    for (const name of ['Check-ins', 'Plan']) {
      const section = sam.page.locator('section', {has: sam.page.getByRole('heading', {name, exact: true})});
      assert.match(await section.textContent(), /Not shared with you/, name);
    }
    assert.equal(await sam.page.getByRole('link', {name: 'Printable report'}).getAttribute('href'),
      `/api/v1/people/${await sam.page.evaluate(() => location.hash.split('/')[2])}/report`);
    found.push(...await axe(sam.page, 'person'));

    // Alex asks to be contacted; sam marks it handled; alex sees it so.
    await go(alex.page, 'contact');
    assert.match(await alex.page.locator('main').textContent(), /not for emergencies/);
    found.push(...await axe(alex.page, 'contact'));
    await alex.page.getByLabel('When suits you').fill('weekday mornings');
    await alex.page.getByRole('button', {name: 'Send request'}).click();
    await alex.page.locator('ul.requests li', {hasText: 'waiting'}).waitFor();
    await go(sam.page, 'home');
    await go(sam.page, 'people');
    await sam.page.getByRole('button', {name: 'Mark handled'}).click();
    await sam.page.getByText(/Handled by sam/).waitFor();
    await go(alex.page, 'home');
    await go(alex.page, 'contact');
    await alex.page.locator('ul.requests li', {hasText: 'handled'}).waitFor();

    // Alex sees that sam looked, then stops sharing; sam's list is empty at once.
    await go(alex.page, 'account');
    await alex.page.locator('ul.audit li', {hasText: 'sam'}).first().waitFor();
    await alex.page.getByRole('button', {name: 'Stop sharing with sam'}).click();
    await alex.page.getByText('Nothing is shared.').waitFor();
    await go(sam.page, 'home');
    await go(sam.page, 'people');
    await sam.page.getByText('No one shares with you yet.').waitFor();

    // Signing out brings the sign-in form back; the crisis lines are there throughout.
    assert.equal(await alex.page.locator('footer.crisis a[href="tel:988"]').count(), 1);
    await alex.page.getByRole('button', {name: 'Sign out'}).click();
    await alex.page.getByRole('heading', {name: 'Sign in to mitra'}).waitFor();
    assert.deepEqual(found, []);
    assert.deepEqual([...alex.problems, ...sam.problems], []);
  } finally {
    await alex.context.close();
    await sam.context.close();
  }
});
