// e2e.mjs -- the muhabir web page tested as a person would use it, in
// real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core).  tests/e2e/run.sh starts `muhabir serve` on a freshly
// ingested sample corpus and passes its address in MUHABIR_URL.
//
// What it does: picks an article that has removed boilerplate (through the
// API, so nothing about the corpus is hard-coded), searches for a word of
// its title through the search form, checks the highlighted results, opens
// the article from the result list, checks title and body against the API,
// toggles the removed boilerplate, looks at related articles, the entity
// page, the stories and the quotes views (each either real data or the
// clean "not available yet" state the API reports), and types hostile
// markup into the search box to check that it is shown, not run.  Every
// request the page makes must go to the server itself.  Screenshots go to
// tests/e2e/screenshots/.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const BASE = process.env.MUHABIR_URL;
if (!BASE) {
  console.error('e2e: MUHABIR_URL not set (use tests/e2e/run.sh)');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const shots = process.env.E2E_SCREENSHOTS || join(here, 'screenshots');
mkdirSync(shots, { recursive: true });
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let passed = 0;
let failed = 0;
const results = [];

async function step(name, fn) {
  try {
    await fn();
    passed++;
    results.push('ok   ' + name);
    console.log('ok   ' + name);
  } catch (e) {
    failed++;
    results.push('FAIL ' + name);
    console.log('FAIL ' + name + '\n     ' + String(e && e.stack || e).split('\n').slice(0, 6).join('\n     '));
  }
}

async function getJSON(path) {
  const r = await fetch(BASE + path);
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  return { status: r.status, body };
}

// Turkish-aware lowercase for comparing a highlighted word with the query.
function trLower(s) {
  return s.replace(/I/g, 'ı').replace(/İ/g, 'i').toLowerCase();
}

// ---------- pick the data through the API ----------
const stats = await getJSON('/api/stats');
assert.equal(stats.status, 200, 'GET /api/stats');
assert.ok(stats.body.articles > 0, 'the sample database has articles');

let pick = null;
let fallback = null;
for (let id = 1; id <= Math.min(60, stats.body.articles + 20) && !pick; id++) {
  const a = await getJSON('/api/articles/' + id);
  if (a.status !== 200 || !a.body.title) continue;
  const words = a.body.title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 5 && /\p{L}/u.test(w));
  if (!words.length) continue;
  const cand = { id, article: a.body, word: words.sort((x, y) => y.length - x.length)[0] };
  // Prefer an article with removed boilerplate, to exercise the toggle.
  if (Array.isArray(a.body.removed) && a.body.removed.length) pick = cand;
  else fallback ||= cand;
}
pick ||= fallback;
assert.ok(pick, 'found an article with a searchable title');
console.log(`e2e: article ${pick.id}, query "${pick.word}", ${pick.article.removed?.length || 0} removed lines`);

// ---------- browser ----------
const profile = mkdtempSync(join(tmpdir(), 'muhabir-e2e-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1200, height: 900 },
  locale: 'tr-TR',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--lang=tr-TR'],
});
const page = context.pages()[0] || await context.newPage();
const foreign = [];
const pageErrors = [];
const base = new URL(BASE);
await context.route('**/*', (route) => {
  const u = new URL(route.request().url());
  if (u.host === base.host || u.protocol === 'data:') return route.continue();
  foreign.push(u.href);
  return route.abort();
});
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('console', (m) => {
  // Chrome logs every non-2xx fetch as "Failed to load resource"; those
  // are judged by the response check below instead.
  if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
});
// API errors the page may meet: the honest 501 of a feature not there
// yet, and the 400 of the hostile query typed on purpose.  Any other
// error response is a bug.
let expect400 = null;
const badResponses = [];
page.on('response', (r) => {
  const s = r.status();
  if (s < 400 || s === 501) return;
  if (s === 400 && expect400 && r.url().includes('/api/search') &&
      new URL(r.url()).searchParams.get('q') === expect400) return;
  badResponses.push(s + ' ' + r.url());
});

try {
  await step('search page loads with Turkish interface', async () => {
    await page.goto(BASE + '/');
    await page.waitForSelector('#search-form');
    assert.match(page.url(), /#\/search$/);
    const nav = await page.locator('.top nav').innerText();
    for (const w of ['Ara', 'Gündem', 'Kim ne dedi?']) assert.ok(nav.includes(w), 'nav has ' + w);
    assert.equal(await page.locator('#f-go').innerText(), 'Ara');
    assert.equal(await page.locator('html').getAttribute('lang'), 'tr');
    const dbinfo = await page.locator('#dbinfo').innerText();
    assert.match(dbinfo, new RegExp('^' + stats.body.articles + ' haber'));
  });

  await step('search through the form shows highlighted results', async () => {
    await page.fill('#f-q', pick.word);
    await page.click('#f-go');
    await page.waitForSelector('#results li, .notice');
    assert.match(decodeURIComponent(page.url()), new RegExp('#/search\\?q=' + pick.word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const n = await page.locator('#results > li').count();
    assert.ok(n >= 1, 'at least one result');
    const marks = await page.locator('#results mark').allInnerTexts();
    assert.ok(marks.length >= 1, 'snippets have highlighted words');
    const q = trLower(pick.word);
    assert.ok(marks.some((m) => trLower(m).startsWith(q.slice(0, 4))), 'a highlight matches the query: ' + marks.join(', '));
    const link = page.locator(`#results a[href="#/article/${pick.id}"]`);
    assert.equal(await link.count(), 1, 'the picked article is among the results');
    await page.screenshot({ path: join(shots, '01-search.png'), fullPage: true });
  });

  await step('a search filter (outlet) narrows the results', async () => {
    const outlet = pick.article.outlet;
    if (!outlet) return;
    await page.selectOption('#f-outlet', outlet);
    await page.click('#f-go');
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('outlet='));
    await page.waitForSelector('#results li');
    const metas = await page.locator('#results .meta').allInnerTexts();
    assert.ok(metas.length >= 1);
    for (const m of metas) assert.ok(m.includes(outlet), 'every hit is from ' + outlet + ': ' + m);
  });

  await step('opening the article from the results shows clean text', async () => {
    await page.click(`#results a[href="#/article/${pick.id}"]`);
    await page.waitForSelector('#article-title');
    assert.equal(await page.locator('#article-title').innerText(), pick.article.title);
    const body = await page.locator('#article-body').innerText();
    const firstLine = (pick.article.body || '').split('\n').find((l) => l.trim().length > 20) || '';
    assert.ok(body.length > 0, 'body shown');
    if (firstLine) assert.ok(body.replace(/\s+/g, ' ').includes(firstLine.trim().replace(/\s+/g, ' ').slice(0, 40)), 'body text matches the API');
    const paras = await page.locator('#article-body p').count();
    assert.ok(paras >= 1, 'body split into paragraphs');
    const meta = await page.locator('.article .meta').first().innerText();
    assert.ok(meta.includes('Tarih'), 'date label shown');
    assert.equal(await page.locator('#removed').isVisible(), false, 'boilerplate hidden at first');
    await page.screenshot({ path: join(shots, '02-article.png'), fullPage: true });
  });

  await step('the boilerplate toggle shows and hides the removed text', async () => {
    const removed = pick.article.removed || [];
    const btn = page.locator('#toggle-removed');
    if (!removed.length) {
      assert.equal(await btn.isDisabled(), true, 'toggle disabled without removed text');
      return;
    }
    assert.equal(await btn.innerText(), 'Kaldırılan metni göster');
    await btn.click();
    assert.equal(await page.locator('#removed').isVisible(), true);
    assert.equal(await page.locator('#removed li').count(), removed.length);
    assert.equal(await page.locator('#removed li').first().innerText(), removed[0].trim());
    assert.equal(await btn.innerText(), 'Kaldırılan metni gizle');
    await page.screenshot({ path: join(shots, '03-article-removed.png'), fullPage: true });
    await btn.click();
    assert.equal(await page.locator('#removed').isVisible(), false);
  });

  await step('related articles: a list or the clean "not available" state', async () => {
    await page.waitForFunction(() => !document.querySelector('#related .summary') ||
      !/Yükleniyor/.test(document.querySelector('#related').innerText));
    const api = await getJSON(`/api/articles/${pick.id}/related`);
    const txt = await page.locator('#related').innerText();
    if (api.status === 200) {
      const n = (api.body.results || []).length;
      assert.equal(await page.locator('#related li').count(), n);
    } else {
      assert.equal(api.status, 501);
      assert.match(txt, /henüz kullanılamıyor/);
    }
  });

  await step('entities and quotes are marked in the article body', async () => {
    await page.goto(BASE + '/#/article/' + pick.id);
    await page.waitForSelector('#article-body');
    // Items carry offsets into the part named by "in" (none = the body).
    const ents = (pick.article.entities || []).filter((m) => (m.in || 'body') === 'body');
    const quotes = (pick.article.quotes || []).filter((q) => (q.in || 'body') === 'body');
    if (!Array.isArray(pick.article.entities)) {
      assert.equal(await page.locator('#article-body .ent').count(), 0);
      return;
    }
    if (ents.length) {
      const marked = await page.locator('#article-body a.ent').allInnerTexts();
      assert.ok(marked.length >= 1, 'entity mentions marked');
      const texts = new Set(ents.map((m) => m.text));
      for (const t of marked) assert.ok(texts.has(t), 'marked text is a mention from the API: ' + t);
    }
    if (quotes.length) assert.ok(await page.locator('#article-body .quote').count() >= 1, 'quotes marked');
    await page.screenshot({ path: join(shots, '03b-article-marked.png'), fullPage: true });
  });

  await step('entity page (from a click in the article): roles, chart, quotes', async () => {
    const person = page.locator('#article-body a.ent.person');
    const link = (await person.count()) ? person.first() : page.locator('#article-body a.ent').first();
    let name;
    if (await link.count()) {
      const href = await link.getAttribute('href');
      name = decodeURIComponent(href.replace(/^#\/entity\//, ''));
      await link.click();
    } else {
      const ents = await getJSON('/api/entities?limit=5');
      name = ents.status === 200 && ents.body.results.length ? ents.body.results[0].name : 'Ankara';
      await page.goto(BASE + '/#/entity/' + encodeURIComponent(name));
    }
    await page.waitForSelector('#entity-name, .notice');
    const api = await getJSON('/api/entities/' + encodeURIComponent(name));
    if (api.status === 200) {
      const e = api.body;
      assert.equal(await page.locator('#entity-name').innerText(), e.name);
      assert.equal(await page.locator('#roles li').count(), (e.roles || []).length);
      assert.equal(await page.locator('#aliases li').count(), (e.aliases || []).filter((a) => a.alias !== e.name).length);
      const dated = (e.mentions || []).filter((d) => d.date).length;
      assert.equal(await page.locator('#mention-chart svg rect').count(), dated, 'one bar per dated day');
      assert.equal(await page.locator('#quotes > li').count(), (e.quotes || []).length);
      if ((e.quotes || []).length) {
        const first = e.quotes[0];
        assert.ok((await page.locator('#quotes > li').first().innerText()).includes(first.text.slice(0, 30)));
        assert.equal(await page.locator('#quotes > li').first().locator('.sources a').count(), (first.articles || []).length);
      }
    } else {
      assert.equal(api.status, 501, 'entities endpoint answers 501 until it exists');
      const t = await page.locator('.notice').innerText();
      assert.match(t, /henüz kullanılamıyor/);
      assert.match(t, /not available/);
    }
    await page.screenshot({ path: join(shots, '04-entity.png'), fullPage: true });
  });

  await step('Gündem (stories of a day): list or "not available"', async () => {
    await page.click('.top nav a[data-nav="stories"]');
    await page.waitForSelector('#stories, .notice, .summary:not(:empty)');
    await page.waitForFunction(() => !/Yükleniyor/.test(document.getElementById('view').innerText));
    const api = await getJSON('/api/stories?from=' + (stats.body.last_date || '') + '&to=' + (stats.body.last_date || ''));
    assert.match(await page.locator('h1').innerText(), /^Gündem/);
    if (api.status === 200) {
      const list = api.body.results || [];
      if (list.length) {
        assert.equal(await page.locator('#stories > li').count(), list.length);
        const first = list[0];
        const item = page.locator('#stories > li').first();
        assert.equal(await item.locator('.title').innerText(), first.headline);
        if (first.first_outlet) assert.ok((await item.innerText()).includes('İlk yayımlayan: ' + first.first_outlet));
        for (const o of first.outlet_names || []) assert.ok((await item.locator('.tags').innerText()).includes(o));
        await page.screenshot({ path: join(shots, '05-stories.png'), fullPage: true });
        // Open the story: its member articles, earliest first.
        await item.locator('.title a').click();
        await page.waitForSelector('#story-members');
        const story = await getJSON('/api/stories/' + first.id);
        assert.equal(await page.locator('#story-members > li').count(), story.body.members.length);
        await page.screenshot({ path: join(shots, '05b-story.png'), fullPage: true });
      } else {
        await page.screenshot({ path: join(shots, '05-stories.png'), fullPage: true });
      }
    } else {
      assert.match(await page.locator('.notice').innerText(), /henüz kullanılamıyor/);
      await page.screenshot({ path: join(shots, '05-stories.png'), fullPage: true });
    }
  });

  await step('Kim ne dedi? (quote search by speaker and topic)', async () => {
    const people = await getJSON('/api/entities?type=person&limit=20');
    const speaker = people.status === 200 ? (people.body.results.find((p) => p.quotes > 0) || {}).name : null;
    await page.click('.top nav a[data-nav="quotes"]');
    await page.waitForSelector('#quote-form');
    assert.equal(await page.locator('h1').innerText(), 'Kim ne dedi?');
    if (people.status !== 200 || !speaker) {
      await page.fill('#f-about', pick.word);
      await page.click('#quote-form button[type=submit]');
      await page.waitForSelector('#quotes, .notice, .summary');
      if (people.status === 501) assert.match(await page.locator('.notice').innerText(), /henüz kullanılamıyor/);
      await page.screenshot({ path: join(shots, '06-quotes.png'), fullPage: true });
      return;
    }
    await page.fill('#f-speaker', speaker);
    await page.click('#quote-form button[type=submit]');
    await page.waitForSelector('#quotes');
    const all = await getJSON('/api/quotes?speaker=' + encodeURIComponent(speaker) + '&limit=50');
    assert.equal(await page.locator('#quotes > li').count(), all.body.count);
    // Each row names the speaker the API gives (spelling variants of the
    // name are merged by the library, so that may be "Lavrov" for
    // "Sergey Lavrov"), and the statement itself.
    const titles = await page.locator('#quotes > li .title').allInnerTexts();
    const quotes = await page.locator('#quotes > li blockquote').allInnerTexts();
    all.body.results.forEach((q, i) => {
      assert.ok(titles[i].startsWith(q.speaker), `row ${i} speaker: ${titles[i]} vs ${q.speaker}`);
      assert.ok(quotes[i].includes(q.text.slice(0, 40)), `row ${i} text`);
    });
    await page.screenshot({ path: join(shots, '06-quotes.png'), fullPage: true });
    // "... about X": a word of the first statement narrows the list.
    const word = (all.body.results[0].text.split(/[^\p{L}]+/u).filter((w) => w.length >= 6)[0]) || '';
    if (word) {
      await page.fill('#f-about', word);
      await page.click('#quote-form button[type=submit]');
      await page.waitForFunction((w) => decodeURIComponent(location.hash).includes('q=' + w), word);
      await page.waitForSelector('#quotes');
      const some = await getJSON('/api/quotes?speaker=' + encodeURIComponent(speaker) + '&q=' + encodeURIComponent(word) + '&limit=50');
      assert.ok(some.body.count >= 1 && some.body.count <= all.body.count);
      assert.equal(await page.locator('#quotes > li').count(), some.body.count);
    }
  });

  await step('hostile markup typed into search is shown as text, never run', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">"\'&';
    await page.goto(BASE + '/#/search');
    await page.waitForSelector('#f-q');
    expect400 = evil;
    await page.fill('#f-q', evil);
    await page.click('#f-go');
    await page.waitForSelector('#summary, .notice');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('#view img').count(), 0, 'no element was created from the query');
    assert.equal(await page.inputValue('#f-q'), evil.trim());
  });

  await step('a broken hash route shows a message, not a blank page', async () => {
    await page.goto(BASE + '/#/article/abc');
    await page.waitForSelector('.notice');
    assert.match(await page.locator('.notice').innerText(), /Geçersiz/);
    await page.goto(BASE + '/#/no-such-view');
    await page.waitForSelector('.notice');
  });

  await step('no request left the machine, no script errors', async () => {
    assert.deepEqual(foreign, [], 'external requests');
    assert.deepEqual(pageErrors, [], 'page errors');
    assert.deepEqual(badResponses, [], 'unexpected error responses');
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
