// The accounts of scripts/bench-clinic.sh, made through the real API of two clinic-mode
// instances: each invitation code is used by POST /api/v1/auth/signup, then the account signs in
// (POST /api/v1/auth/login: argon2id twice per account, so several at once, spread over both
// instances), opens its journal once (GET /api/v1/status: the journal's tables are made the
// first time it is opened, which is then not part of the load), and each person shares some
// scopes with one specialist (POST /api/v1/shares).
//
// Usage: node bench/clinic_setup.mjs PORT1,PORT2 INVITES_DIR OUT_DIR
//   INVITES_DIR/person.txt and specialist.txt: one invitation code a line
//   writes OUT_DIR/people.txt and OUT_DIR/specialists.txt: "username token csrf" a line
// Environment: CLINIC_SETUP_CONCURRENCY (default 4: argon2id takes ~64 MiB and one of the two
// threads of an instance while it runs).
import { readFileSync, writeFileSync } from 'node:fs';

const [portsArg, invitesDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node bench/clinic_setup.mjs PORT1,PORT2 INVITES_DIR OUT_DIR');
  process.exit(2);
}
const ports = portsArg.split(',');
const concurrency = Number(process.env.CLINIC_SETUP_CONCURRENCY || 4);
const password = 'a load test passphrase';
// The scopes person i shares, in turn (docs/clinic.md, "Sharing").
const scopeSets = [
  ['pattern', 'journal'],
  ['journal', 'checkins', 'plan'],
  ['pattern', 'safety'],
  ['pattern', 'journal', 'checkins', 'reflections', 'plan', 'safety'],
];

const codes = (role) =>
  readFileSync(`${invitesDir}/${role}.txt`, 'utf8').split('\n').filter((line) => line !== '');

async function call(i, method, path, { body, session } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (session) {
    headers.Cookie = `mitra_session=${session.token}; mitra_csrf=${session.csrf}`;
    if (method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
  }
  const response = await fetch(`http://127.0.0.1:${ports[i % ports.length]}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers };
}

function expect(what, answer, status) {
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status}: ${answer.text}`);
  }
}

// Runs fn(0 … n-1), `concurrency` at a time, printing progress every `every` items.
async function inParallel(label, n, fn, every = 100) {
  let next = 0;
  let finished = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
      finished++;
      if (finished % every === 0 || finished === n) {
        const seconds = (Date.now() - started) / 1000;
        console.log(`  ${label}: ${finished}/${n} (${seconds.toFixed(1)} s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

async function account(i, username, code) {
  expect(`sign-up of ${username}`,
    await call(i, 'POST', '/api/v1/auth/signup', { body: { invite: code, username, password } }),
    201);
  const login = await call(i + 1, 'POST', '/api/v1/auth/login', { body: { username, password } });
  expect(`sign-in of ${username}`, login, 200);
  const cookies = login.headers.getSetCookie().join('; ');
  const token = /mitra_session=([^;]+)/.exec(cookies)?.[1];
  const csrf = JSON.parse(login.text).csrf_token;
  if (!token || !csrf) throw new Error(`sign-in of ${username}: no session cookie or csrf_token`);
  const session = { username, token, csrf };
  expect(`first GET /api/v1/status of ${username}`,
    await call(i, 'GET', '/api/v1/status', { session }), 200);
  return session;
}

const specialistCodes = codes('specialist');
const personCodes = codes('person');
const specialists = new Array(specialistCodes.length);
const people = new Array(personCodes.length);
const width = (n) => Math.max(4, String(n).length);

await inParallel('specialists signed up and in', specialists.length, async (i) => {
  const name = `s${String(i + 1).padStart(width(specialists.length), '0')}`;
  specialists[i] = await account(i, name, specialistCodes[i]);
}, 10);
await inParallel('people signed up and in', people.length, async (i) => {
  const name = `p${String(i + 1).padStart(width(people.length), '0')}`;
  people[i] = await account(i, name, personCodes[i]);
});
await inParallel('people sharing with a specialist', people.length, async (i) => {
  const specialist = specialists[i % specialists.length].username;
  const scopes = scopeSets[i % scopeSets.length];
  expect(`share of ${people[i].username} with ${specialist}`,
    await call(i, 'POST', '/api/v1/shares', { body: { specialist, scopes }, session: people[i] }),
    201);
}, 250);

const lines = (sessions) => sessions.map((s) => `${s.username} ${s.token} ${s.csrf}\n`).join('');
writeFileSync(`${outDir}/people.txt`, lines(people));
writeFileSync(`${outDir}/specialists.txt`, lines(specialists));
