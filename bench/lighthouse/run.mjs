// Runs Lighthouse (mobile, the default config) on the campaign's five page types in the four languages against a
// running app, in one Chromium (Debian's, CHROME_PATH) launched once, and prints a JSON summary: scores per category
// and the audits that did not pass. Used by bench/lighthouse.sh; never downloads a browser.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2] ?? 'http://127.0.0.1:5320';
const langs = ['en', 'es', 'pt', 'pap'];
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

async function firstStory(lang) {
  const html = await (await fetch(`${base}/${lang}/stories`)).text();
  const m = html.match(new RegExp(`href="/${lang}/stories/([a-z0-9-]+)"`));
  return m ? `/${lang}/stories/${m[1]}` : `/${lang}/stories`;
}

const pages = [];
for (const lang of langs) {
  pages.push(['home', `/${lang}/`], ['story', await firstStory(lang)], ['facts', `/${lang}/facts`],
    ['videos', `/${lang}/videos`], ['country', `/${lang}/countries/COL`]);
}

const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: flags });
const results = [];
try {
  for (const [type, path] of pages) {
    const started = Date.now();
    const run = await lighthouse(`${base}${path}`, { port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
    const lhr = run.lhr;
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, c.score]));
    const failed = [];
    for (const [key, cat] of Object.entries(lhr.categories)) {
      for (const ref of cat.auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 0.9) {
          failed.push({ category: key, id: a.id, title: a.title, score: a.score, value: a.displayValue ?? '' });
        }
      }
    }
    results.push({ type, path, scores, failed, runtimeError: lhr.runtimeError?.message ?? null, seconds: (Date.now() - started) / 1000 });
    process.stderr.write(`${path}: ${JSON.stringify(scores)}\n`);
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(results, null, 1));
