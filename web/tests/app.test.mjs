// The web app in a real browser (Debian's chromium through playwright-core) against a real
// `mitra serve` with a fresh SQLite database for each test.

import assert from 'node:assert/strict';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {launchBrowser, newPage, startServer} from './browser.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// A week of doses every 4 hours or so, logged through the CLI before the server starts.
const aWeekOfDoses = Array.from({length: 24}, (_, i) => ['log', '2g', '--at', `${6 + i * 6}h ago`]);

async function withApp(options, body) {
  const server = await startServer(options);
  const opened = await newPage(browser, server, options);
  try {
    await body({...opened, server});
    assert.deepEqual(opened.problems, [], 'no script errors or CSP violations');
  } finally {
    await opened.context.close();
    await server.stop();
  }
}

async function go(page, route) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
  await page.waitForFunction((r) => document.title.length > 0 && location.hash === `#/${r}` &&
    !document.querySelector('main .loading'), route);
}

// Resolves once the service worker has the app's files and controls the page, so that a reload
// without the network is served from its cache.
async function untilTheAppWorksOffline(page) {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
}

async function logDose(page, amount, note) {
  await go(page, 'home');
  await page.getByLabel('Amount', {exact: true}).fill(amount);
  if (note !== undefined) {
    await page.getByText('More details').click();
    await page.getByLabel('Note').fill(note);
  }
  await page.getByRole('button', {name: 'Log dose'}).click();
}

test('logs a dose from Home in two taps and shows it in the journal', async () => {
  await withApp({}, async ({page, server}) => {
    await page.getByLabel('Amount', {exact: true}).fill('2.5');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.getByText(/since your last dose/).waitFor();
    await assert.doesNotReject(page.getByText('Logged 2.5 g.').waitFor());
    const doses = (await server.api('GET', '/doses')).json.doses;
    assert.equal(doses.length, 1);
    assert.equal(doses[0].amount, 2.5);
    await go(page, 'journal');
    await page.locator('.entry').filter({hasText: '2.5 g'}).waitFor();
  });
});

// A journal keeps amounts to a millionth of their unit (the CLI shows them so); the app wrote
// them to three decimal places, so 0.0004 g read "0 g".
test('bug: a dose under 0.0005 of its unit read "0 g" in the journal', async () => {
  await withApp({setup: [['log', '0.0004g', '--at', '1h ago'], ['log', '0.000001mg', '--at', '2h ago']]},
    async ({page, server}) => {
      await go(page, 'journal');
      await page.locator('.entry').filter({hasText: '0.0004 g'}).waitFor();
      await page.locator('.entry').filter({hasText: '0.000001 mg'}).waitFor();
      assert.equal(await page.locator('.entry').filter({hasText: /\b0 m?g\b/}).count(), 0);
      // Editing it keeps it as it was.
      await page.locator('.entry').filter({hasText: '0.000001 mg'}).getByRole('button', {name: /^Edit the dose/}).click();
      assert.equal(await page.getByLabel('Amount', {exact: true}).inputValue(), '0.000001');
      await page.getByRole('button', {name: 'Save'}).click();
      await page.locator('.entry').filter({hasText: '0.000001 mg'}).getByRole('button', {name: /^Edit the dose/}).waitFor();
      assert.deepEqual((await server.api('GET', '/doses')).json.doses.map((d) => d.amount_micro).sort((a, b) => a - b),
        [1, 400]);
    });
});

test('the last week\'s average is given to one decimal, as the CLI gives it', async () => {
  await withApp({setup: aWeekOfDoses}, async ({page, server}) => {
    const exact = (await server.api('GET', '/status')).json.week.doses_per_day;
    assert.notEqual(exact, Math.round(exact * 10) / 10, 'the journal gives an average with more decimals');
    await page.getByText(`${Math.round(exact * 10) / 10} doses a day on average`).waitFor();
  });
});

// Issue 14, item 11: doses a day over 7 days read 6.0 in the CLI and 6 on Home.
test('bug: a whole-number average read "2" on Home and "2.0" in the CLI', async () => {
  const fourteen = Array.from({length: 14}, (_, i) => ['log', '2g', '--at', `${1 + i * 10}h ago`]);
  await withApp({setup: fourteen}, async ({page, server}) => {
    assert.equal((await server.api('GET', '/status')).json.week.doses_per_day, 2);
    await page.getByText('2.0 doses a day on average').waitFor();
  });
});

// Issue 14, item 11: Home said "Times are shown in Etc/UTC" while showing Chicago times.
test('bug: Home named the saved zone, not the zone its times are shown in', async () => {
  // startServer's default passes --tz Europe/Berlin; setup has not run.
  await withApp({}, async ({page}) => {
    await page.getByText('Times are shown in Europe/Berlin.').waitFor();
  });
});

test('a wrong amount names the field and stores nothing', async () => {
  await withApp({}, async ({page, server}) => {
    await page.getByLabel('Amount', {exact: true}).fill('lots');
    await page.getByRole('button', {name: 'Log dose'}).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /amount/);
    assert.equal(await page.getByLabel('Amount', {exact: true}).getAttribute('aria-invalid'), 'true');
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 0);
  });
});

test('an empty amount asks for one in plain words, and nothing is queued or stored', async () => {
  await withApp({}, async ({page, server}) => {
    await page.getByLabel('Amount', {exact: true}).fill('');
    await page.getByRole('button', {name: 'Log dose'}).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /Enter how much you took/);
    assert.doesNotMatch(await alert.textContent(), /"unit"/, 'no API wording on the page');
    assert.equal(await page.getByLabel('Amount', {exact: true}).getAttribute('aria-invalid'), 'true');
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('mitra.outbox') ?? '[]')), []);
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 0);
  });
});

test('bug: an amount typed with its unit ("2.5g", "250 mg") was refused', async () => {
  await withApp({}, async ({page, server}) => {
    await logDose(page, '2.5g');
    await page.getByText('Logged 2.5 g.').waitFor();
    await logDose(page, '250 mg');
    await page.getByText('Logged 250 mg.').waitFor();
    const doses = (await server.api('GET', '/doses')).json.doses;
    assert.deepEqual(doses.map((d) => `${d.amount} ${d.unit}`).sort(), ['2.5 g', '250 mg']);
  });
});

test('bug: what was typed right after a log was lost when Home refreshed on a slow server', async () => {
  await withApp({}, async ({page, server}) => {
    // Home refreshes after each log; a slow answer made it replace the form after the toast.
    await page.route('**/api/v1/status', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await logDose(page, '2.5g');
    await page.getByText('Logged 2.5 g.').waitFor();
    await page.getByLabel('Amount', {exact: true}).fill('250 mg');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.getByText('Logged 250 mg.').waitFor();
    const doses = (await server.api('GET', '/doses')).json.doses;
    assert.deepEqual(doses.map((d) => `${d.amount} ${d.unit}`).sort(), ['2.5 g', '250 mg']);
  });
});

test('a note with <script> is shown as text and never run', async () => {
  await withApp({}, async ({page, server}) => {
    const note = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    await logDose(page, '1', note);
    await page.getByText('Logged 1 g.').waitFor();
    await go(page, 'journal');
    const shown = page.locator('.note-text');
    await shown.waitFor();
    assert.equal(await shown.textContent(), note);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal((await server.api('GET', '/doses')).json.doses[0].note, note);
  });
});

test('edits, deletes and undoes in the journal', async () => {
  await withApp({setup: [['log', '2g', '--at', '3h ago']]}, async ({page, server}) => {
    await go(page, 'journal');
    await page.getByRole('button', {name: /^Edit the dose/}).click();
    await page.getByLabel('Amount', {exact: true}).fill('3');
    await page.getByRole('button', {name: 'Save'}).click();
    await page.locator('.entry').filter({hasText: '3 g'}).waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses[0].amount, 3);

    await page.getByRole('button', {name: /^Delete the entry/}).click();
    await page.getByText('Nothing logged').waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 0);

    await page.getByRole('button', {name: 'Undo last change'}).click();
    await page.locator('.entry').filter({hasText: '3 g'}).waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 1);
  });
});

test('checks in and sees the result, saved to the history', async () => {
  await withApp({}, async ({page, server}) => {
    await go(page, 'checkin');
    const questions = page.locator('form.assess fieldset.question');
    assert.equal(await questions.count(), 3);
    for (let i = 0; i < 3; ++i) await questions.nth(i).getByLabel(String(i + 2), {exact: true}).check();
    await page.getByRole('button', {name: 'See my answers'}).click();
    await page.getByRole('heading', {name: 'Your total: 9.'}).waitFor();
    const history = (await server.api('GET', '/checkins?instrument=checkin')).json.history;
    assert.equal(history[0].entries.length, 1);
    assert.equal(history[0].entries[0].total, 9);
  });
});

test('a check-in with a question left out names the question', async () => {
  await withApp({}, async ({page, server}) => {
    await go(page, 'checkin/sows');
    await page.getByRole('button', {name: 'See my answers'}).click();
    assert.match(await page.getByRole('alert').textContent(), /Question 1 has no answer/);
    const history = (await server.api('GET', '/checkins?instrument=sows')).json.history;
    assert.equal(history[0]?.entries.length ?? 0, 0);
  });
});

test('self-reflection is worded as a reflection, never a diagnosis', async () => {
  await withApp({}, async ({page}) => {
    await go(page, 'reflect/dsm5');
    const questions = page.locator('form.assess fieldset.question');
    assert.equal(await questions.count(), 11);
    for (let i = 0; i < 11; ++i) await questions.nth(i).getByLabel(i < 3 ? 'yes' : 'no', {exact: true}).check();
    await page.getByRole('button', {name: 'See my answers'}).click();
    const outcome = page.locator('.outcome');
    await outcome.waitFor();
    const text = await outcome.textContent();
    assert.match(text, /You answered yes to 3 of 11/);
    assert.match(text, /not a diagnosis/);
    assert.doesNotMatch(text, /you have (a|an) /i);
    assert.match(text, /Sources: /);
  });
});

test('About you saves the reasons and shows the help that fits, with sources', async () => {
  await withApp({}, async ({page, server}) => {
    await go(page, 'reflect');
    const form = page.locator('form', {has: page.getByRole('heading', {name: 'About you'})});
    await form.getByRole('group', {name: 'Have you ever used prescription opioids?'}).getByLabel('yes').check();
    await form.getByLabel('Pain').check();
    await form.getByLabel(/how many years/).fill('many');
    await form.getByRole('button', {name: 'Save'}).click();
    assert.match(await form.getByRole('alert').textContent(), /years_of_use/);
    assert.equal((await server.api('GET', '/profile')).json.saved, false, 'nothing saved');
    await form.getByLabel(/how many years/).fill('3');
    await form.getByRole('button', {name: 'Save'}).click();
    await form.getByText('Help that fits what you told us').waitFor();
    assert.match(await form.locator('.pathway').first().textContent(), /Sources: /);
    const saved = (await server.api('GET', '/profile')).json.profile;
    assert.deepEqual(saved.reasons, ['pain']);
    assert.equal(saved.prescription_opioid_use, true);
    assert.equal(saved.years_of_use, 3);
  });
});

test('a new person making a plan is asked how they take it now, box by box, in plain words', async () => {
  await withApp({}, async ({page, server}) => {
    await go(page, 'plan');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /^How you take it now \(optional\): .*journal has no doses/);
    assert.doesNotMatch(await alert.textContent(), /\(field:/);

    await page.getByLabel('Doses a day').fill('five');
    await page.getByLabel('Hours apart').fill('3');
    await page.getByLabel('Each dose').fill('2.5');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByText(/^Doses a day: Enter how many doses you take a day/).waitFor();
    assert.equal(await page.getByLabel('Doses a day').getAttribute('aria-invalid'), 'true');
    assert.equal((await server.api('GET', '/plans/current')).status, 404);

    await page.getByLabel('Doses a day').fill('5');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('heading', {name: 'Your plan: stop, gradually'}).waitFor();
    assert.deepEqual((await server.api('GET', '/plans/current')).json.inputs.pattern,
      {doses_per_day: 5, interval_hours: 3, amount_per_dose: 2.5});
  });
});

test('makes a plan, holds and resumes it, and downloads its calendar', async () => {
  await withApp({setup: aWeekOfDoses}, async ({page, server}) => {
    await go(page, 'plan');
    await page.getByLabel(/^Gentle:/).check();
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('heading', {name: 'Your plan: stop, gradually'}).waitFor();
    assert.ok(await page.locator('table.steps tbody tr').count() > 3);
    assert.equal((await server.api('GET', '/plans/current')).json.inputs.pace, 'gentle');

    await page.getByRole('button', {name: 'Hold at this step'}).click();
    await page.getByRole('button', {name: 'Resume the plan'}).waitFor();
    await page.getByRole('button', {name: 'Resume the plan'}).click();
    await page.getByRole('button', {name: 'Hold at this step'}).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', {name: 'Download calendar (.ics)'}).click(),
    ]);
    const ics = readFileSync(await download.path(), 'utf8');
    assert.match(ics, /^BEGIN:VCALENDAR/);
    assert.match(ics, /BEGIN:VEVENT/);
    assert.doesNotMatch(ics, /kratom/i, 'discreet titles by default');
  });
});

// Issue 14, items 2 and 3: a plan made after today's doses starts tomorrow and says so (never
// "So far today: 3 of 0 doses"), and each step says why it is what it is.
test('a plan made after today\'s doses starts tomorrow, says so, and gives each step a reason', async () => {
  // A dose logged now: "today" has one whatever the hour the test runs (bug: the week's last
  // dose, 6 h ago, fell on yesterday's journal day in the hours after the 04:00 day start).
  await withApp({setup: [...aWeekOfDoses, ['log', '2g']]}, async ({page, server}) => {
    await go(page, 'plan');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('heading', {name: 'Your plan: stop, gradually'}).waitFor();
    const plan = (await server.api('GET', '/plans/current')).json;
    const first = plan.steps[0];
    await page.getByText(/^The plan starts on /).waitFor();
    assert.equal(await page.getByText(/So far today: \d+ of 0 doses/).count(), 0);
    const cells = page.locator('table.steps tbody tr').first().locator('td');
    // The cell names its column first (said on narrow screens, where each step is a card).
    assert.equal(await cells.last().textContent(), `Change${first.reason}`);
    assert.match(first.reason, /\.$/);
  });
});

test('someone with an empty journal makes a plan from the pattern they give', async () => {
  await withApp({}, async ({page, server}) => {
    await go(page, 'plan');
    await page.getByLabel('Doses a day').fill('6');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    // The boxes go together: the first one left empty is named.
    assert.match(await page.getByRole('alert').textContent(), /^Hours apart: Enter the hours between doses/);
    await page.getByLabel('Hours apart').fill('3');
    await page.getByLabel('Each dose').fill('2.5');
    await page.getByRole('button', {name: 'Make my plan'}).click();
    await page.getByRole('heading', {name: 'Your plan: stop, gradually'}).waitFor();
    const plan = (await server.api('GET', '/plans/current')).json;
    assert.deepEqual(plan.inputs.pattern, {doses_per_day: 6, interval_hours: 3, amount_per_dose: 2.5});
  });
});

test('Settings saves the zone and a product, and refuses an unknown zone by name', async () => {
  const server = await startServer({zone: ''});
  const opened = await newPage(browser, server);
  const {page} = opened;
  try {
    await go(page, 'settings');
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByRole('button', {name: 'Save', exact: true}).click();
    assert.match(await page.getByRole('alert').textContent(), /zone/);
    await page.getByLabel('Time zone').fill('America/Chicago');
    await page.getByLabel('A day starts at').fill('05:30');
    await page.getByRole('button', {name: 'Save', exact: true}).click();
    await page.getByText('Settings saved.').waitFor();
    assert.deepEqual((await server.api('GET', '/settings')).json,
      {zone: 'America/Chicago', zone_in_use: 'America/Chicago', day_start: '05:30', configured: true, language: null});

    await page.getByLabel('Name').fill('Red caps');
    await page.getByLabel('Form').selectOption('capsules');
    await page.getByLabel('One capsule weighs (g)').fill('0.5');
    await page.getByRole('button', {name: 'Save product'}).click();
    await page.getByText('one capsule 500 mg').waitFor();
    assert.equal((await server.api('GET', '/products')).json.products[0].capsule_mg, 500);
    assert.deepEqual(opened.problems, []);
  } finally {
    await opened.context.close();
    await server.stop();
  }
});

test('Settings says when --tz is in use and keeps the saved zone', async () => {
  // startServer's default passes --tz Europe/Berlin.
  await withApp({}, async ({page, server}) => {
    await server.api('PUT', '/settings', {zone: 'America/Chicago', day_start: '04:00'});
    await go(page, 'settings');
    assert.equal(await page.getByLabel('Time zone').inputValue(), 'America/Chicago');
    await page.getByText('For now mitra uses Europe/Berlin: it was started with --tz.').waitFor();
  });
});

test('exports the journal and imports it into another mitra', async () => {
  const dir = path.join(process.env.MITRA_SCREENSHOTS ?? '/tmp', '..');
  let exported;
  await withApp({setup: aWeekOfDoses.slice(0, 5)}, async ({page}) => {
    await go(page, 'settings');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', {name: 'Export (JSON, complete)'}).click(),
    ]);
    exported = readFileSync(await download.path(), 'utf8');
  });
  const file = path.join(dir, 'web-test-export.json');
  writeFileSync(file, exported);
  await withApp({}, async ({page, server}) => {
    await go(page, 'settings');
    await page.getByLabel('Journal file').setInputFiles(file);
    await page.getByRole('button', {name: 'Import'}).click();
    await page.getByText('Imported 5; 0 were already here.').waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 5);
    // Importing the same file again adds nothing.
    await page.getByRole('button', {name: 'Import'}).click();
    await page.getByText('Imported 0; 5 were already here.').waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 5);
  });
});

test('Get help is one tap away from every page, with sources', async () => {
  await withApp({}, async ({page}) => {
    for (const route of ['home', 'journal', 'checkin', 'reflect', 'plan', 'learn', 'settings']) {
      await go(page, route);
      await page.getByRole('banner').getByRole('link', {name: 'Get help'}).click();
      await page.getByRole('heading', {name: 'Get help', level: 1}).waitFor();
      const text = await page.locator('main').textContent();
      for (const contact of ['988', '1-800-222-1222', '1-800-662-4357']) assert.ok(text.includes(contact), `${route}: ${contact}`);
      assert.ok(await page.locator('main .sources').count() >= 4);
      assert.ok(await page.locator('footer a[href="tel:988"]').isVisible());
    }
  });
});

test('bug: the cards on Get help had list bullets beside them', async () => {
  await withApp({}, async ({page}) => {
    await go(page, 'help');
    const list = page.locator('main ul.help-list');
    await list.waitFor();
    assert.equal(await list.evaluate((e) => getComputedStyle(e).listStyleType), 'none');
    assert.equal(await list.evaluate((e) => getComputedStyle(e).paddingLeft), '0px');
  });
});

test('Learn shows facts with sources, the FAQ and both charts', async () => {
  await withApp({}, async ({page}) => {
    await go(page, 'learn');
    for (const id of ['chart-poison_center_reports', 'chart-deaths_other_substances']) {
      await page.locator(`#${id}`).waitFor();
      assert.ok(await page.evaluate((i) => Boolean(window.Chart.getChart(i)), id), `${id} drawn by Chart.js`);
    }
    const facts = page.locator('#facts li');
    assert.ok(await facts.count() > 10);
    for (const fact of await facts.all()) assert.match(await fact.textContent(), /Sources: /);
    assert.ok(await page.locator('details.faq').count() > 3);
    await page.locator('#facts .sources a').first().click();
    await page.locator('.references li.target').waitFor();
  });
});

test('logging offline waits on the device and syncs once, without duplicates', async () => {
  await withApp({}, async ({page, context, server}) => {
    await context.setOffline(true);
    await page.getByLabel('Amount', {exact: true}).fill('1.5');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('p.ok', {hasText: 'Saved on this device'}).waitFor();
    assert.match(await page.locator('#sync-state').textContent(), /1 dose waiting to sync/);
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 0);

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForFunction(() => document.getElementById('sync-state').textContent === '');
    const doses = (await server.api('GET', '/doses')).json.doses;
    assert.equal(doses.length, 1);
    assert.equal(doses[0].amount, 1.5);
  });
});

test('the keys a dose is sent with are UUIDs of version 7, later ones sorting later', async () => {
  // Random keys put each write's key on a page of its own in the journal's index (docs/server.md).
  await withApp({}, async ({page, context}) => {
    await context.setOffline(true);
    const before = Date.now();
    for (const amount of ['1', '2']) {
      await page.getByLabel('Amount', {exact: true}).fill(amount);
      await page.getByRole('button', {name: 'Log dose'}).click();
      await page.waitForFunction((n) => JSON.parse(localStorage.getItem('mitra.outbox') ?? '[]').length === n,
        Number(amount));
    }
    const keys = JSON.parse(await page.evaluate(() => localStorage.getItem('mitra.outbox'))).map((item) => item.key);
    assert.equal(keys.length, 2);
    for (const key of keys) {
      assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const made = parseInt(key.replaceAll('-', '').slice(0, 12), 16);
      assert.ok(made >= before - 1000 && made <= Date.now() + 1000, `${key} was made at ${made}`);
    }
    assert.ok(keys[0] < keys[1], keys.join(' then '));
    await context.setOffline(false);
  });
});

test('the app opens without its server and a dose logged then is kept and synced', async () => {
  await withApp({}, async ({page, context, server}) => {
    // The service worker has kept the app's files once it controls the page.
    await untilTheAppWorksOffline(page);
    await page.reload();
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
    await context.setOffline(true);
    await page.reload();
    await page.getByText('mitra cannot reach its server right now').waitFor();
    assert.ok(await page.getByRole('banner').getByRole('link', {name: 'Get help'}).isVisible());
    await page.getByLabel('Amount', {exact: true}).fill('0.5');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('p.ok', {hasText: 'Saved on this device'}).waitFor();
    await go(page, 'help');  // Help, from the last list the server gave.
    assert.match(await page.locator('main').textContent(), /1-800-662-4357/);
    await context.setOffline(false);
    await page.reload();  // A new start sends what waited.
    await page.waitForFunction(() => document.getElementById('sync-state').textContent === '');
    const doses = (await server.api('GET', '/doses')).json.doses;
    assert.equal(doses.length, 1);
    assert.equal(doses[0].amount, 0.5);
  });
});

// Issue 14, item 12: after an offline log "last dose" on Home was the dose before it.
test('bug: after a dose logged offline, Home still counted from the dose before it', async () => {
  await withApp({setup: [['log', '2g', '--at', '5h ago']]}, async ({page, context, server}) => {
    await page.getByText(/^5 h \d+ min since your last dose/).waitFor();
    await untilTheAppWorksOffline(page);
    await context.setOffline(true);
    await page.getByLabel('Amount', {exact: true}).fill('1.5');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('p.ok', {hasText: 'Saved on this device'}).waitFor();
    assert.match(await page.locator('#since').textContent(), /^[01] min since your last dose/);
    assert.match(await page.locator('#last-waiting').textContent(), /^Last: 1\.5 g, \w{3} \d+ \w{3}, \d{2}:\d{2}, on this device, not yet sent\.$/);
    // Opened again without the server, Home still knows.
    await page.reload();
    await page.getByText('mitra cannot reach its server right now').waitFor().catch(() => {});
    assert.match(await page.locator('#since').textContent(), /^[01] min since your last dose/);
    await context.setOffline(false);
    await page.reload();
    await page.waitForFunction(() => document.getElementById('sync-state').textContent === '');
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 2);
    await page.locator('#since').filter({hasText: /^[01] min since your last dose/}).waitFor();
    await page.getByText(/^Last: 1\.5 g on /).waitFor();
    assert.equal(await page.locator('#last-waiting').count(), 0);
  });
});

// Issue 14, item 12 (leftover): a dose logged while its POST could not reach the server was
// Home's last dose, marked as not yet sent, but "N doses today" (and the plan's "so far") did not
// count it.
test('bug: Home showed a dose waiting on the device as the last dose but did not count it today', async () => {
  await withApp({setup: [['log', '2g', '--at', '2m ago']]}, async ({page, server}) => {
    const todayDoses = page.locator('main p').filter({hasText: /^\d+ doses? today/});
    await todayDoses.filter({hasText: /^1 dose today, 2 g\.$/}).waitFor();
    // Reads still reach the server; the dose's POST does not (a connection that drops).
    const dropPosts = (route) => (route.request().method() === 'POST' ? route.abort() : route.continue());
    await page.route('**/api/v1/doses', dropPosts);
    await page.getByLabel('Amount', {exact: true}).fill('1.5');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('p.ok', {hasText: 'Saved on this device'}).waitFor();
    await page.locator('#last-waiting').waitFor();
    assert.equal(await todayDoses.textContent(),
      '2 doses today, 3.5 g (1 of them on this device, not yet sent).');
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 1);
    // Once sent, the server counts it, and Home counts it once.
    await page.unroute('**/api/v1/doses', dropPosts);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForFunction(() => document.getElementById('sync-state').textContent === '');
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 2);
    await page.reload();
    await todayDoses.filter({hasText: /^2 doses today, 3\.5 g\.$/}).waitFor();
  });
});

// A dose waiting on the device counted in the plan's "So far: 3 of 2" but the note that today
// went over the plan waited for the server.
test('bug: Home did not say today went over the plan when the dose over it waited on the device', async () => {
  const setup = [['plan', 'new', '--doses-per-day', '2', '--interval', '6', '--amount', '2g'],
    ['log', '1.5g', '--at', '2m ago'], ['log', '1.5g', '--at', '1m ago']];
  await withApp({setup}, async ({page}) => {
    await page.locator('#plan-so-far', {hasText: /^So far: 2 of 2 doses\.$/}).waitFor();
    assert.equal(await page.locator('#over-plan').count(), 0);
    const dropPosts = (route) => (route.request().method() === 'POST' ? route.abort() : route.continue());
    await page.route('**/api/v1/doses', dropPosts);
    await page.getByLabel('Amount', {exact: true}).fill('0.5');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('#last-waiting').waitFor();
    assert.equal(await page.locator('#plan-so-far').textContent(), 'So far: 3 of 2 doses (1 not yet sent).');
    await page.locator('#over-plan', {hasText: 'Today went over the plan.'}).waitFor();
  });
});

// Issue 14, item 12: the toast at the bottom of the screen covered the Log dose button and the
// confirmation under it when the form was low on the screen, as it is under a thumb.
test('bug: the toast covered the Log dose button and its confirmation', async () => {
  await withApp({setup: aWeekOfDoses}, async ({page, context}) => {
    const overlaps = async () => page.evaluate(() => {
      const toast = document.getElementById('toast');
      if (toast.hidden) return 'no toast';
      const t = toast.getBoundingClientRect();
      const kept = [document.querySelector('form.quick-log button[type=submit]'),
        ...document.querySelectorAll('form.quick-log .message > *')];
      return kept.filter((e) => {
        const o = e.getBoundingClientRect();
        return t.left < o.right && o.left < t.right && t.top < o.bottom && o.top < t.bottom;
      }).map((e) => e.textContent);
    });
    // The button just above the bottom edge, where the toast appears.
    const lower = () => page.evaluate(() => {
      const b = document.querySelector('form.quick-log button[type=submit]').getBoundingClientRect();
      window.scrollBy(0, b.bottom - (window.innerHeight - 60));
    });
    await lower();
    await page.getByLabel('Amount', {exact: true}).fill('2', {noWaitAfter: true});
    await lower();
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.getByText('Logged 2 g.').waitFor();
    assert.deepEqual(await overlaps(), []);
    // Offline the confirmation is said beside the button, and not again over it.
    await context.setOffline(true);
    await lower();
    await page.getByLabel('Amount', {exact: true}).fill('1');
    await lower();
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('p.ok', {hasText: 'Saved on this device'}).waitFor();
    const after_ = await overlaps();
    assert.ok(after_ === 'no toast' || after_.length === 0, JSON.stringify(after_));
  });
});

// Issue 15, item 3: the service worker went to the network first for the app's files, so a
// second visit waited for the server before anything showed.
test('a second visit paints from the service worker\'s cache, without waiting for the server', async () => {
  await withApp({}, async ({page, server}) => {
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
    // The server stops answering (stopped, not gone: connections wait instead of failing).
    process.kill(server.pid, 'SIGSTOP');
    try {
      // The address without ?token= (signed in by the cookie): how a person comes back, from
      // another page (else it would be a move within this one).
      await page.goto('about:blank');
      await page.goto(`${server.origin}/#/help`, {waitUntil: 'commit', timeout: 10000});
      // The shell and app.js came from the cache: the app has routed to Help.
      await page.waitForFunction(() => document.title === 'Get help · mitra', null, {timeout: 10000});
      assert.ok(await page.locator('footer a[href="tel:988"]').isVisible());
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
  });
});

// Issue 15, item 3: Home within what the closest peer's page weighs (78 KB over the wire) and
// at most 20 KB of script, as bench/home_page.mjs counts them (encoded bytes with headers, no
// cache, no service worker). A change that pushes Home over fails here, not only in `make bench`.
test('Home stays within 78 KB over the wire and 20 KB of script', async () => {
  const server = await startServer({setup: aWeekOfDoses});
  const context = await browser.newContext({viewport: {width: 390, height: 844}, serviceWorkers: 'block'});
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', {cacheDisabled: true});
    const types = new Map();
    const loaded = [];
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, [e.type, e.response.url]));
    cdp.on('Network.loadingFinished', (e) => loaded.push([...types.get(e.requestId), e.encodedDataLength]));
    await page.goto(server.url);
    await page.waitForSelector('#week-chart, #log-h');
    await page.waitForLoadState('networkidle');
    const sum = (rows) => rows.reduce((total, [, , bytes]) => total + bytes, 0);
    const scripts = loaded.filter(([type]) => type === 'Script');
    assert.ok(scripts.some(([, url]) => url.endsWith('/pages/home.js')), 'Home\'s module was loaded');
    assert.ok(sum(loaded) <= 78 * 1024, `Home took ${sum(loaded)} bytes`);
    assert.ok(sum(scripts) <= 20 * 1024,
      `Home's script took ${sum(scripts)} bytes: ${scripts.map(([, u, n]) => `${new URL(u).pathname} ${n}`).join(', ')}`);
  } finally {
    await context.close();
    await server.stop();
  }
});

// Issue 15, item 3: the service worker was registered while Home loaded, and its install (every
// file of the app, the chart library among them) held up the page's main thread: Lighthouse's
// total blocking time was ~70-160 ms with it, 0-16 ms without.
test('bug: the service worker kept the app\'s files while Home was still loading', async () => {
  const server = await startServer({});
  const context = await browser.newContext({viewport: {width: 390, height: 844}, serviceWorkers: 'allow'});
  try {
    await context.addInitScript(() => {
      const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
      navigator.serviceWorker.register = (...args) => {
        window.registeredAt = performance.now();
        return register(...args);
      };
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('main h1');
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    const {registeredAt, loaded} = await page.evaluate(() => ({
      registeredAt: window.registeredAt,
      loaded: performance.getEntriesByType('navigation')[0].loadEventEnd,
    }));
    assert.ok(loaded > 0, 'the page loaded');
    assert.ok(registeredAt - loaded >= 1900,
      `registered ${Math.round(registeredAt)} ms after the start, the page loaded at ${Math.round(loaded)} ms`);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a dose whose answer was lost is sent again and stored once', async () => {
  await withApp({}, async ({page, server}) => {
    // The server stores the dose, but the answer never reaches the page.
    let lost = 0;
    await page.route('**/api/v1/doses', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.getByLabel('Amount', {exact: true}).fill('2');
    await page.getByRole('button', {name: 'Log dose'}).click();
    await page.locator('p.ok', {hasText: 'Saved on this device'}).waitFor();
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 1);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForFunction(() => document.getElementById('sync-state').textContent === '');
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 1, 'sent twice, stored once');
  });
});

test('without the token the app explains how to get in, and help still works', async () => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByRole('heading', {name: 'Open mitra from its address'}).waitFor();
    assert.ok(await page.locator('footer a[href="tel:988"]').isVisible());
    const wrong = await page.goto(`${server.origin}/?token=wrong`);
    assert.equal(wrong.status(), 401);
    // A cross-site style write without the CSRF header is refused even with the cookie.
    await page.goto(server.url);
    const status = await page.evaluate(async () =>
      (await fetch('/api/v1/doses', {method: 'POST', body: '{"amount": "1g"}'})).status);
    assert.equal(status, 403);
    assert.equal((await server.api('GET', '/doses')).json.doses.length, 0);
  } finally {
    await context.close();
    await server.stop();
  }
});
