// Runs Lighthouse (mobile, the default config) on the campaign's five page types in the four languages against a
// running app, in one Chromium (Debian's, CHROME_PATH) launched once, and prints a JSON summary: scores per category
// and the audits that did not pass. Used by bench/lighthouse.sh; never downloads a browser.
// Bounded: each page gets at most PAGE_SECONDS (default 120) and the whole run TOTAL_SECONDS (default 1200); the summary
// is rewritten to the output file after every page, so a run cut short still leaves the pages it measured.
import { writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2] ?? 'http://127.0.0.1:5320';
const out = process.argv[3] ?? '/dev/stdout';
const pageSeconds = Number(process.env.PAGE_SECONDS ?? 120);
const deadline = Date.now() + Number(process.env.TOTAL_SECONDS ?? 1200) * 1000;
const langs = ['en', 'es', 'pt', 'pap'];
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

async function firstStory(lang) {
  const html = await (await fetch(`${base}/${lang}/stories`, { signal: AbortSignal.timeout(30000) })).text();
  const m = html.match(new RegExp(`href="/${lang}/stories/([a-z0-9-]+)"`));
  return m ? `/${lang}/stories/${m[1]}` : `/${lang}/stories`;
}

const pages = [];
for (const lang of langs) {
  pages.push(['home', `/${lang}/`], ['story', await firstStory(lang)], ['facts', `/${lang}/facts`],
    ['videos', `/${lang}/videos`], ['country', `/${lang}/countries/COL`]);
}

const withTimeout = (promise, seconds, what) => Promise.race([promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${seconds} s`)), seconds * 1000).unref())]);

const chrome = await withTimeout(chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: flags }), 60, 'chromium start');
// The script kills this pid on exit, should this process be stopped before it closes chromium itself.
if (process.env.CHROME_PID_FILE) writeFileSync(process.env.CHROME_PID_FILE, String(chrome.pid));
const results = [];
const save = () => writeFileSync(out, JSON.stringify(results, null, 1));
try {
  for (const [type, path] of pages) {
    const started = Date.now();
    if (started > deadline) {
      results.push({ type, path, scores: {}, failed: [], runtimeError: 'not run: the run reached its time bound', seconds: 0 });
      save();
      continue;
    }
    try {
      const run = await withTimeout(lighthouse(`${base}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', maxWaitForLoad: 60000,
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] }), pageSeconds, path);
      const lhr = run.lhr;
      const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, c.score]));
      const failed = [];
      for (const [key, cat] of Object.entries(lhr.categories)) {
        for (const ref of cat.auditRefs) {
          const a = lhr.audits[ref.id];
          if (ref.weight > 0 && a.score !== null && a.score < 0.9) {
            const items = (a.details?.items ?? []).slice(0, 3).map(i => i.node?.snippet ?? i.url ?? i.source?.url ?? '').filter(Boolean);
            failed.push({ category: key, id: a.id, title: a.title, score: a.score, value: [a.displayValue ?? '', ...items].filter(Boolean).join(' · ') });
          }
        }
      }
      // What the page cost to fetch (bytes as transferred, every request of the load) and any host other than the app's.
      const bytes = lhr.audits['total-byte-weight']?.numericValue ?? null;
      const own = new URL(base).host;
      const otherHosts = [...new Set((lhr.audits['network-requests']?.details?.items ?? [])
        .map(i => { try { return new URL(i.url).host; } catch { return ''; } }).filter(h => h && h !== own))];
      results.push({ type, path, scores, failed, bytes, otherHosts, runtimeError: lhr.runtimeError?.message ?? null, seconds: (Date.now() - started) / 1000 });
      process.stderr.write(`${path}: ${JSON.stringify(scores)} ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    } catch (e) {
      results.push({ type, path, scores: {}, failed: [], runtimeError: String(e.message ?? e), seconds: (Date.now() - started) / 1000 });
      process.stderr.write(`${path}: ${e.message ?? e}\n`);
    }
    save();
  }
} finally {
  save();
  await withTimeout(chrome.kill(), 20, 'chromium stop').catch(() => {});
}
process.exit(0);
