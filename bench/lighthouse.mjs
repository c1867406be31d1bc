// Lighthouse on mitra's Home, as issue 15 measures it: npm `lighthouse` 12.2.3 (pinned in
// web/package.json) driving Debian's chromium ($CHROME_PATH, default /usr/bin/chromium), the
// mobile preset (Lighthouse's default: phone screen, simulated slow 4G and 4x CPU slowdown), a
// fresh browser profile for each run, three runs. Prints each run and the median of the
// performance score, CLS, TBT, LCP and the accessibility score, with the load average before and
// after: the machine may be busy, which moves the times (not CLS or accessibility). Each run waits
// for a quiet machine first (scripts/wait-quiet.sh).
// Usage: node bench/lighthouse.mjs [path/to/mitra] [runs]   (run from the repository root)

import {loadavg} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const web = path.resolve('web/node_modules');
const {default: lighthouse} = await import(pathToFileURL(path.join(web, 'lighthouse/core/index.js')));
const chromeLauncher = await import(pathToFileURL(path.join(web, 'chrome-launcher/dist/index.js')));
process.env.MITRA_BIN = path.resolve(process.argv[2] ?? 'build/src/cli/mitra');
const runs = Number(process.argv[3] ?? 3);
const {startServer} = await import(pathToFileURL(path.resolve('web/tests/browser.mjs')));
const {waitQuiet} = await import(pathToFileURL(path.resolve('bench/quiet.mjs')));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

// Home with a week of doses (every 6 hours), as bench/home_page.mjs has it.
const setup = Array.from({length: 24}, (_, i) => ['log', '2g', '--at', `${2 + i * 6}h ago`]);
const mitra = await startServer({setup});
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const results = [];
console.log(`Lighthouse 12.2.3, mobile preset, ${chromePath}; load average before: ${load()}`);
try {
  for (let run = 1; run <= runs; run += 1) {
    waitQuiet();  // The last run's browser, or the benchmark before.
    const chrome = await chromeLauncher.launch({chromePath,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']});
    try {
      const {lhr} = await lighthouse(mitra.url, {port: chrome.port, logLevel: 'error', output: 'json',
        onlyCategories: ['performance', 'accessibility']});
      if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const r = {
        performance: Math.round(lhr.categories.performance.score * 100),
        cls: lhr.audits['cumulative-layout-shift'].numericValue,
        tbt: lhr.audits['total-blocking-time'].numericValue,
        lcp: lhr.audits['largest-contentful-paint'].numericValue,
        fcp: lhr.audits['first-contentful-paint'].numericValue,
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
      };
      results.push(r);
      console.log(`run ${run}: performance ${r.performance}, CLS ${r.cls.toFixed(3)}, TBT ${Math.round(r.tbt)} ms, ` +
        `LCP ${(r.lcp / 1000).toFixed(2)} s, FCP ${(r.fcp / 1000).toFixed(2)} s, accessibility ${r.accessibility}`);
    } finally {
      await chrome.kill();
    }
  }
} finally {
  await mitra.stop();
}
const m = (key) => median(results.map((r) => r[key]));
console.log(`median of ${results.length}: performance ${m('performance')} (goal ≥ 95), CLS ${m('cls').toFixed(3)} ` +
  `(goal < 0.05), TBT ${Math.round(m('tbt'))} ms (goal < 200), LCP ${(m('lcp') / 1000).toFixed(2)} s, ` +
  `accessibility ${m('accessibility')} (goal 100)`);
console.log(`load average after: ${load()}`);
