// Home as a person on a phone meets it: Debian's chromium (playwright-core), phone viewport,
// 4x CPU slowdown, no cache. Prints bytes transferred, requests, script bytes, first
// contentful paint and load for mitra's Home (a week of doses in the journal), three runs each,
// and the same for a small static page of the same shape served by a local file server (the
// baseline: what any page of this size costs on this machine in this run). Each run waits for a
// quiet machine first (scripts/wait-quiet.sh).
// Each page is opened twice a run: in a fresh tab, and from a page of another site (as a person
// opens it from a bookmark, a link or the browser's start page). They differ for mitra: its
// Cross-Origin-Opener-Policy (server/security.cpp) puts it in a browsing context group, and so
// a renderer process, of its own, which Chromium starts for it where a page without the header
// can take over the blank tab's process; coming from another site, both pages get a new one.
// With MITRA_BENCH_PEER=DIR, a third page is measured in the same turns: the static files of DIR
// (a checkout of a peer's web app, such as Tea Taper, github.com/shamaevaway/stopkratom, whose
// first paint issue 15 set as the goal; its code carries no licence, so no copy of it
// is kept here), served by the same kind of small local server as the baseline.
// Usage: node bench/home_page.mjs [path/to/mitra] [rounds, default 5]   (from the repository root)

import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createRequire} from 'node:module';

const require = createRequire(path.resolve('web/package.json'));
const {chromium} = require('playwright-core');
process.env.MITRA_BIN = path.resolve(process.argv[2] ?? 'build/src/cli/mitra');
const {startServer} = await import(path.resolve('web/tests/browser.mjs'));
const {waitQuiet} = await import(path.resolve('bench/quiet.mjs'));

async function measure(browser, url, ready, from = null) {
  const context = await browser.newContext({viewport: {width: 390, height: 844}, serviceWorkers: 'block'});
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', {cacheDisabled: true});
  await cdp.send('Emulation.setCPUThrottlingRate', {rate: 4});
  const types = new Map();
  let bytes = 0;
  let scriptBytes = 0;
  let requests = 0;
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    requests += 1;
    bytes += e.encodedDataLength;
    if (types.get(e.requestId) === 'Script') scriptBytes += e.encodedDataLength;
  });
  if (from) await page.goto(from, {waitUntil: 'load'});
  await page.goto(url, {waitUntil: 'load'});
  if (ready) await page.waitForSelector(ready);
  await page.waitForLoadState('networkidle');
  // A page drawn by its script may paint after the network is quiet.
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0,
      null, {timeout: 10000}).catch(() => {});
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    load: performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? null,
  }));
  await context.close();
  return {bytes, scriptBytes, requests, ...timing};
}

// A static page shaped like Home: HTML, a stylesheet, one small script, some text.
function baselineServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mitra-baseline-'));
  const files = {
    '/': ['text/html', '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" ' +
      'content="width=device-width, initial-scale=1"><title>Taper</title><link rel="stylesheet" href="/s.css">' +
      '<script src="/a.js" defer></script></head><body><header>Taper</header><main><h1>Today</h1>' +
      '<p>5 h since your last dose</p><form><label>Amount <input name="a"></label><button>Log</button></form>' +
      `<ol>${'<li>Mon: 6 doses</li>'.repeat(7)}</ol></main><footer>Help: 988</footer></body></html>`],
    '/s.css': ['text/css', 'body{font:16px system-ui;margin:0 auto;max-width:40rem}'.repeat(40)],
    '/a.js': ['text/javascript', 'document.querySelector("form").onsubmit=(e)=>e.preventDefault();\n'.repeat(40)],
  };
  writeFileSync(path.join(dir, 'README'), 'baseline');
  const server = createServer((request, response) => {
    const [type, body] = files[request.url] ?? ['text/plain', 'not found'];
    response.writeHead(files[request.url] ? 200 : 404, {'Content-Type': type});
    response.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/`,
    stop: () => { server.close(); rmSync(dir, {recursive: true, force: true}); },
  })));
}

// The files of a folder, as a static file server sends them (no compression, no cache headers).
const contentTypes = {'.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon'};
function folderServer(dir) {
  const root = path.resolve(dir);
  const server = createServer((request, response) => {
    let file = path.join(root, decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (!file.startsWith(root)) file = root;
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, {'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream'});
      response.end(body);
    } catch {
      response.writeHead(404, {'Content-Type': 'text/plain'});
      response.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/`,
    stop: () => server.close(),
  })));
}

// A page of another site to come from: "localhost" is another site than mitra's 127.0.0.1.
function elsewhereServer() {
  const server = createServer((request, response) => {
    response.writeHead(200, {'Content-Type': 'text/html'});
    response.end('<!doctype html><html lang="en"><title>elsewhere</title><p>another site</p></html>');
  });
  return new Promise((resolve) => server.listen(0, 'localhost', () => resolve({
    url: `http://localhost:${server.address().port}/`,
    stop: () => server.close(),
  })));
}

// One browser for the loads in a fresh tab and another for those from another site: how
// Chromium reuses and starts renderer processes after one kind of load changes the next.
const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const browsers = {fresh: await launch(), linked: await launch()};
const setup = Array.from({length: 24}, (_, i) => ['log', '2g', '--at', `${2 + i * 6}h ago`]);
const mitra = await startServer({setup});
const baseline = await baselineServer();
const elsewhere = await elsewhereServer();
const peerDir = process.env.MITRA_BENCH_PEER;
if (peerDir && !statSync(path.join(peerDir, 'index.html'), {throwIfNoEntry: false})) {
  throw new Error(`MITRA_BENCH_PEER: no index.html in ${peerDir}`);
}
const peer = peerDir ? await folderServer(peerDir) : null;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n) => (n === null ? 'n/a' : `${Math.round(n)} ms`);
const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// First paints on this machine's Chromium vary by 2x between identical loads: each run is the
// median of `rounds` loads of each page, taken in turns (the order swapped every round).
const rounds = Number(process.argv[3] ?? 5);
try {
  for (let run = 1; run <= 3; run += 1) {
    waitQuiet();
    const loads = {home: [], base: [], homeLinked: [], baseLinked: [], peer: [], peerLinked: []};
    for (let round = 0; round < rounds; round += 1) {
      const order = [
        ['home', mitra.url, '#week-chart, #log-h', null], ['base', baseline.url, 'main h1', null],
        ['homeLinked', mitra.url, '#week-chart, #log-h', elsewhere.url],
        ['baseLinked', baseline.url, 'main h1', elsewhere.url]];
      if (peer) order.push(['peer', peer.url, null, null], ['peerLinked', peer.url, null, elsewhere.url]);
      if (round % 2) order.reverse();
      for (const [key, url, ready, from] of order) {
        loads[key].push(await measure(from ? browsers.linked : browsers.fresh, url, ready, from));
      }
    }
    const [home, base] = [loads.home[0], loads.base[0]];
    const fcp = (key) => median(loads[key].map((l) => l.fcp));
    const load = (key) => median(loads[key].map((l) => l.load));
    console.log(`run ${run} (medians of ${rounds}): mitra Home ${kb(home.bytes)} in ${home.requests} requests ` +
      `(script ${kb(home.scriptBytes)}), first paint ${ms(fcp('home'))}, load ${ms(load('home'))} | ` +
      `baseline page ${kb(base.bytes)} in ${base.requests} requests, first paint ${ms(fcp('base'))}, ` +
      `load ${ms(load('base'))} | first paint ratio ${(fcp('home') / fcp('base')).toFixed(2)}x in a fresh tab; ` +
      `from another site ${ms(fcp('homeLinked'))} against ${ms(fcp('baseLinked'))}, ` +
      `${(fcp('homeLinked') / fcp('baseLinked')).toFixed(2)}x`);
    if (peer) {
      const p = loads.peer[0];
      console.log(`run ${run} peer page (${peerDir}): ${kb(p.bytes)} in ${p.requests} requests ` +
        `(script ${kb(p.scriptBytes)}), first paint ${ms(fcp('peer'))}, load ${ms(load('peer'))} | ` +
        `mitra Home's first paint against it ${(fcp('home') / fcp('peer')).toFixed(2)}x in a fresh tab, ` +
        `${(fcp('homeLinked') / fcp('peerLinked')).toFixed(2)}x from another site`);
    }
  }
} finally {
  await mitra.stop();
  baseline.stop();
  elsewhere.stop();
  peer?.stop();
  await browsers.fresh.close();
  await browsers.linked.close();
}
