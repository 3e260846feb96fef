// The /telemetry pages in a real browser: headless Debian Chromium driven by playwright-core.
//
//   node tests/browser/telemetry_page.test.mjs BINARY [SCREENSHOT_DIR]
//
// Starts BINARY (ferrlabs-api) on port 0 in a temporary directory, loads /telemetry and
// /fr/telemetry, checks that the event tables list exactly the events, fields and values of the
// JSON manifest, that the page loads nothing but itself (CSP respected, no other request), that
// the language switch works with the mouse and the keyboard, that the live counters go up after
// events are sent, that each event's daily chart draws exactly the JSON's daily series (bars,
// withheld days hatched) with the accessible name and description the browser computes, that a
// 390-px-wide screen needs no horizontal scrolling, and saves full-page screenshots (desktop light
// and dark, mobile) and chart screenshots in SCREENSHOT_DIR. It also loads the API reference
// (/v1/docs): one article per operation of /v1/openapi.json, in-page links resolving, its own
// stylesheet applied under its CSP, no horizontal scrolling on a phone. The server is killed at
// the end whatever happens, and the whole run is bounded in time.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { startServer as launch, stopServer as stop } from '../support/server.mjs';

const [binaryArg, shotsArg] = process.argv.slice(2);
if (!binaryArg) {
  console.error('usage: node telemetry_page.test.mjs BINARY [SCREENSHOT_DIR]');
  process.exit(2);
}
const binary = path.resolve(binaryArg);
const shotsDir = path.resolve(shotsArg ?? 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OVERALL_MS = 240_000; // under ctest's TIMEOUT of 300 s
const PASSWORD = 'correct horse battery staple';

process.exitCode = 1; // only a run that reaches the end passes
const tmp = mkdtempSync(path.join(tmpdir(), 'ferr-browser-'));
const mailDir = path.join(tmp, 'mail');
let server = null;
let browser = null;
let failures = 0;

function cleanup() {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  server = null;
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`not ok - interrupted by ${signal}`);
    process.exit(1);
  });
}
const watchdog = setTimeout(() => {
  console.error(`not ok - the test did not finish within ${OVERALL_MS / 1000} s`);
  process.exit(1);
}, OVERALL_MS);

function check(condition, what, detail = '') {
  if (condition) {
    console.log(`ok - ${what}`);
  } else {
    failures += 1;
    console.log(`not ok - ${what}${detail ? `\n  ${detail}` : ''}`);
  }
  return condition;
}

function sameList(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  return check(a === e, what, `expected ${e}\n  got      ${a}`);
}

// ---- The server -------------------------------------------------------------------------------

function startServer() {
  const env = {
    ...process.env,
    FERRLABS_LISTEN: '127.0.0.1:0',
    DATABASE_URL: `sqlite:${path.join(tmp, 'ferrlabs.db')}`,
    FERRLABS_MAIL: `file:${mailDir}`,
    FERRLABS_STATS_K: '2', // two sign-ups show; one person's login is withheld
    FERRLABS_STATS_CACHE_S: '0', // the page is read right after events are written
    FERRLABS_AUTH_RATE: '0',
    FERRLABS_PASSWORD_MEMORY_KIB: '1024',
    FERRLABS_PASSWORD_ITERATIONS: '1',
    FERRLABS_TELEMETRY_SALT: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    JWT_SECRET: 'browser-test-secret-0123456789abcdefghij', // 40 characters
  };
  return launch(binary, { cwd: tmp, env, onStart: (child) => (server = child) }).then(
    ({ port }) => port,
  );
}

async function stopServer() {
  await stop(server);
  server = null;
}

// ---- The API ----------------------------------------------------------------------------------

let base = '';

async function api(method, route, body) {
  const response = await fetch(base + route, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function codeFor(email) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const name of readdirSync(mailDir, { withFileTypes: true })) {
      if (!name.isFile() || !name.name.endsWith('.eml')) continue;
      const text = readFileSync(path.join(mailDir, name.name), 'utf8');
      const match = text.match(/code is ([0-9]{6})/);
      if (text.includes(email) && match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no verification mail for ${email}`);
}

// Registers and verifies an account: its verification emits auth.signup.
async function signUp(email) {
  mkdirSync(mailDir, { recursive: true });
  const registered = await api('POST', '/auth/register', { email, password: PASSWORD });
  if (registered.status !== 202) throw new Error(`register ${email}: ${registered.status}`);
  const verified = await api('POST', '/auth/verify-email', { email, code: await codeFor(email) });
  if (verified.status !== 200) throw new Error(`verify ${email}: ${verified.status}`);
}

// ---- The page ---------------------------------------------------------------------------------

// What the page lists, read from the DOM: events in order with their fields and values.
function readEventTables(page) {
  return page.$$eval('article.event', (articles) =>
    articles.map((article) => ({
      event: article.dataset.event,
      title: article.querySelector('h4').textContent.trim(),
      surface: article.closest('section.surface').id.replace(/^surface-/, ''),
      fields: [...article.querySelectorAll('tbody tr')].map((row) => ({
        name: row.dataset.field,
        shown: row.querySelector('th').textContent.trim(),
        kind: row.querySelector('td').textContent.trim(),
        values: [...row.querySelectorAll('.values code')].map((c) => c.textContent),
      })),
    })),
  );
}

function expectedTables(manifest) {
  return manifest.events.map((e) => ({
    event: e.event,
    title: e.event,
    surface: e.surface,
    fields: e.fields.map((f) => ({
      name: f.name,
      shown: f.name,
      kind: f.kind,
      values: f.values ?? [],
    })),
  }));
}

async function counter(page, event, window) {
  return page.$eval(`[id="count-${event}"] td[data-window="${window}"]`, (cell) => ({
    count: cell.dataset.count === undefined ? null : Number(cell.dataset.count),
    suppressed: cell.dataset.suppressed === 'true',
    text: cell.textContent.trim(),
  }));
}

// Reloads until the counter reaches `atLeast` (the emitter writes within about 250 ms).
async function waitForCount(page, event, window, atLeast) {
  const deadline = Date.now() + 15_000;
  let value;
  for (;;) {
    await page.reload();
    value = await counter(page, event, window);
    if ((value.count ?? -1) >= atLeast || Date.now() > deadline) return value;
    await page.waitForTimeout(200);
  }
}

async function checkPage(page, url, lang, manifest) {
  const response = await page.goto(url);
  check(response.status() === 200, `${url} answers 200`);
  check(
    response.headers()['content-type'] === 'text/html; charset=utf-8',
    `${url} is text/html; charset=utf-8`,
  );
  check(
    (response.headers()['content-security-policy'] ?? '').startsWith("default-src 'none'"),
    `${url} has a Content-Security-Policy that allows nothing by default`,
  );
  check((await page.getAttribute('html', 'lang')) === lang, `${url} has lang="${lang}"`);
  sameList(
    await readEventTables(page),
    expectedTables(manifest),
    `${url} lists exactly the manifest's events, fields, kinds and values, in order`,
  );
  sameList(
    await page.$$eval('#counts-table tbody tr', (rows) => rows.map((r) => r.dataset.event)),
    manifest.events.map((e) => e.event),
    `${url} has a live counter for every event`,
  );
  const keyId = await page.$eval('.facts code', (c) => c.textContent);
  check(keyId === manifest.hashing.key_id, `${url} shows the running key id ${keyId}`);
  const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  check(links.includes('/v1/telemetry/catalog'), `${url} links to the JSON manifest`);
  check(links.includes('/v1/telemetry/stats'), `${url} links to the statistics`);
  check(
    links.every((href) => href.startsWith('/') || href.startsWith('#')),
    `${url} links nowhere but this server`,
    links.filter((h) => !h.startsWith('/') && !h.startsWith('#')).join(' '),
  );
  const styled = await page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return { font: body.fontFamily, margin: body.marginTop };
  });
  check(
    styled.font.includes('system-ui') && styled.margin === '0px',
    `${url} applies its inline stylesheet (allowed by its CSP hash)`,
    JSON.stringify(styled),
  );
}

// The daily series of the JSON statistics over `days` days, by event: per day a count, 0 or null.
async function dailySeries(days) {
  const stats = JSON.parse((await api('GET', `/v1/telemetry/stats?days=${days}`)).text);
  return Object.fromEntries(stats.series.map((s) => [s.event, s.counts]));
}

// What a chart draws, read from the rendered SVG: the day of each bar and of each hatched band
// (from the x where each subpath of the path starts, in the drawing's units), and where the
// chart sits on the screen.
function readCharts(page) {
  return page.$$eval('svg.chart', (charts) =>
    charts.map((svg) => {
      const days = Number(svg.dataset.days);
      const slot = svg.viewBox.baseVal.width / days;
      const daysOf = (path) =>
        [...(path?.getAttribute('d') ?? '').matchAll(/M([0-9.]+) /g)].map((m) =>
          Math.round(Number(m[1]) / slot));
      const box = svg.getBoundingClientRect();
      const barsPath = svg.querySelector('path.bars');
      // Every bar stands on the baseline: the path's box is as tall as the tallest bar.
      const tallest = barsPath ? barsPath.getBoundingClientRect().height : 0;
      return {
        event: svg.id.replace(/^chart-/, ''),
        days,
        bars: daysOf(barsPath),
        withheld: daysOf(svg.querySelector('path.withheld')),
        card: svg.closest('article.event')?.dataset.event,
        width: box.width,
        height: box.height,
        tallest,
      };
    }),
  );
}

// The accessible name and description of every image, as Chromium's accessibility tree has them.
async function accessibleImages(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Accessibility.enable');
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  return nodes
    .filter((n) => ['image', 'img'].includes(n.role?.value) && !n.ignored)
    .map((n) => ({ name: n.name?.value ?? '', description: n.description?.value ?? '' }));
}

async function checkCharts(page, context, url, lang, manifest) {
  await page.goto(url);
  const series = await dailySeries(manifest.retention_days);
  const charts = await readCharts(page);
  sameList(
    charts.map((c) => c.event),
    manifest.events.map((e) => e.event),
    `${url} has one chart per event, in order`,
  );
  // Compared by structure: each chart's bars and hatched days are the days the JSON series
  // counts and withholds, in the event's own card.
  const drawn = charts.map((c) => ({ event: c.event, card: c.card, days: c.days, bars: c.bars, withheld: c.withheld }));
  const expected = manifest.events.map((e) => {
    const counts = series[e.event];
    const days = (keep) => counts.map((c, i) => (keep(c) ? i : -1)).filter((i) => i >= 0);
    return {
      event: e.event,
      card: e.event,
      days: manifest.retention_days,
      bars: days((c) => c !== null && c > 0),
      withheld: days((c) => c === null),
    };
  });
  sameList(drawn, expected, `${url} draws exactly the daily series of /v1/telemetry/stats`);
  const last = manifest.retention_days - 1;
  const signup = charts.find((c) => c.event === 'auth.signup');
  check(
    signup && signup.bars.includes(last) && signup.width > 300 && signup.tallest > 10,
    `${url}: today's two sign-ups are a visible bar at the right end of a visible chart`,
    JSON.stringify(signup),
  );
  const logins = charts.find((c) => c.event === 'auth.login');
  check(
    logins && logins.withheld.includes(last) && !logins.bars.includes(last),
    `${url}: one person's login is drawn withheld, not as a bar`,
    JSON.stringify(logins),
  );
  const legend = await page.$eval('[id="event-auth.login"] .legend', (p) => p.textContent);
  check(
    legend.includes(lang === 'fr' ? 'hachurés' : 'Hatched'),
    `${url}: a legend says what hatching means`,
    legend,
  );
  // Accessibility: each chart is an image whose name and description the browser computes from
  // its title and desc.
  const images = await accessibleImages(context, page);
  for (const e of manifest.events) {
    const name = lang === 'fr'
      ? `${e.event} par jour, ${manifest.retention_days}\u00a0derniers jours`
      : `${e.event} per day, last ${manifest.retention_days}\u00a0days`;
    const image = images.find((i) => i.name === name);
    check(
      image !== undefined &&
        image.description.startsWith(lang === 'fr' ? `Comptes quotidiens de ${e.event} du ` : `Daily counts of ${e.event} from `),
      `${url}: the ${e.event} chart is an image named and described for assistive technology`,
      JSON.stringify(image ?? images.slice(0, 3)),
    );
  }
  const loginImage = images.find((i) => i.name.startsWith('auth.login '));
  check(
    loginImage && /withheld|masqué/.test(loginImage.description),
    `${url}: the description of a chart with withheld days says so`,
    JSON.stringify(loginImage),
  );
  for (const event of ['auth.signup', 'auth.login']) {
    await page
      .locator(`[id="event-${event}"] figure.daily`)
      .screenshot({ path: path.join(shotsDir, `chart-${event}-${lang}.png`) });
  }
}

async function main() {
  mkdirSync(shotsDir, { recursive: true });
  const port = await startServer();
  base = `http://127.0.0.1:${port}`;
  console.log(`# server on port ${port}`);
  const manifest = JSON.parse((await api('GET', '/v1/telemetry/catalog')).text);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox'],
    timeout: 60_000,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.location().url ?? '')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));

  await checkPage(page, `${base}/telemetry`, 'en', manifest);
  await checkPage(page, `${base}/fr/telemetry`, 'fr', manifest);

  // The language switch, with the mouse: EN → FR → EN.
  await page.goto(`${base}/telemetry`);
  await page.click('nav.lang a[hreflang="fr"]');
  await page.waitForURL(`${base}/fr/telemetry`);
  check((await page.getAttribute('html', 'lang')) === 'fr', 'the switch leads to the French page');
  check(
    (await page.textContent('h1')).includes('Ce que FerrLabs collecte'),
    'the French page is in French',
  );
  await page.click('nav.lang a[hreflang="en"]');
  await page.waitForURL(`${base}/telemetry`);
  check((await page.getAttribute('html', 'lang')) === 'en', 'and back to the English page');

  // The keyboard: the skip link comes first and shows itself, the language switch second.
  await page.goto(`${base}/telemetry`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { cls: el.className, href: el.getAttribute('href'), top: box.top, bottom: box.bottom };
  });
  check(
    first.cls === 'skip' && first.href === '#main' && first.top >= 0 && first.bottom > 0,
    'Tab reaches the skip link first, and it becomes visible',
    JSON.stringify(first),
  );
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline === 'solid', 'the focused element has a visible outline');
  await page.keyboard.press('Tab');
  const second = await page.evaluate(() => document.activeElement.getAttribute('hreflang'));
  check(second === 'fr', 'the next Tab reaches the language switch');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/fr/telemetry`);
  check(true, 'Enter on the switch opens the French page');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/fr/telemetry#main`);
  check(true, 'Enter on the French skip link jumps to the content');

  // Live counters: accounts signed up now show in auth.signup.
  await page.goto(`${base}/telemetry`);
  const before = await counter(page, 'auth.signup', '24h');
  check(before.count === 0, 'auth.signup starts at 0 in the last 24 hours', JSON.stringify(before));
  await signUp('ada@example.com');
  await signUp('grace@example.com');
  const after = await waitForCount(page, 'auth.signup', '24h', before.count + 2);
  check(after.count === before.count + 2, 'two sign-ups later, the 24-hour counter shows 2', JSON.stringify(after));
  const week = await counter(page, 'auth.signup', '7d');
  check(week.count === 2, 'and so does the 7-day counter', JSON.stringify(week));

  // Ingestion: a cli.run sent to POST /v1/telemetry is durable once answered, so the very next
  // rendering counts it.
  const runsBefore = await counter(page, 'cli.run', '24h');
  const sent = await api('POST', '/v1/telemetry', {
    surface: 'ferrflow',
    event: 'cli.run',
    schema_version: 1,
    properties: {
      command: 'release', exit_code: 0, duration_ms: 812,
      cli_version: '4.6.1', os: 'linux', arch: 'x86_64',
    },
  });
  check(sent.status === 202, 'POST /v1/telemetry accepts a cli.run', sent.text);
  await page.reload();
  const runs = await counter(page, 'cli.run', '24h');
  check(runs.count === runsBefore.count + 1, 'the cli.run counter shows the ingested event',
    JSON.stringify({ before: runsBefore, after: runs }));

  // The daily charts, after one login by one person (withheld: fewer than k = 2 users).
  const login = await api('POST', '/auth/login', { email: 'ada@example.com', password: PASSWORD });
  check(login.status === 200, 'ada logs in', login.text);
  // The emitter writes within about 250 ms: wait until the statistics count the login (withheld).
  const deadline = Date.now() + 15_000;
  while ((await dailySeries(manifest.retention_days))['auth.login'].at(-1) !== null) {
    if (Date.now() > deadline) throw new Error('the login never reached the statistics');
    await new Promise((r) => setTimeout(r, 100));
  }
  await checkCharts(page, context, `${base}/telemetry`, 'en', manifest);
  await checkCharts(page, context, `${base}/fr/telemetry`, 'fr', manifest);

  // Screenshots: desktop in both languages, dark mode, and a 390-px-wide phone.
  await page.goto(`${base}/telemetry`);
  await page.screenshot({ path: path.join(shotsDir, 'telemetry-en.png'), fullPage: true });
  await page.goto(`${base}/fr/telemetry`);
  await page.screenshot({ path: path.join(shotsDir, 'telemetry-fr.png'), fullPage: true });
  const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const darkPage = await dark.newPage();
  await darkPage.goto(`${base}/telemetry`);
  await darkPage.screenshot({ path: path.join(shotsDir, 'telemetry-en-dark.png'), fullPage: true });
  await dark.close();
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const phonePage = await phone.newPage();
  for (const [route, name] of [['/telemetry', 'en'], ['/fr/telemetry', 'fr']]) {
    await phonePage.goto(base + route);
    const widths = await phonePage.evaluate(() => {
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      return {
        page: document.documentElement.scrollWidth,
        screen: window.innerWidth,
        wide: wide.slice(0, 5),
      };
    });
    check(
      widths.page <= 390 && widths.screen === 390 && widths.wide.length === 0,
      `${route} fits a 390-px-wide screen without horizontal scrolling`,
      JSON.stringify(widths),
    );
    await phonePage.screenshot({ path: path.join(shotsDir, `telemetry-${name}-mobile.png`), fullPage: true });
  }

  // The API reference (/v1/docs): rendered from the OpenAPI document, styled by its own inline
  // stylesheet under its CSP, one article per operation, every in-page link resolving.
  const openapi = JSON.parse((await api('GET', '/v1/openapi.json')).text);
  const operations = Object.values(openapi.paths)
    .flatMap((item) => Object.values(item))
    .filter((op) => !op['x-alias-of']);
  await page.goto(`${base}/v1/docs`);
  const reference = await page.evaluate(() => ({
    articles: [...document.querySelectorAll('main article')].map((a) => a.querySelector('h3').id),
    dangling: [...document.querySelectorAll('a[href^="#"]')]
      .map((a) => a.getAttribute('href').slice(1))
      .filter((id) => !document.getElementById(id)),
    background: getComputedStyle(document.body).backgroundColor,
  }));
  sameList(
    reference.articles.sort(),
    operations.map((op) => `op-${op.operationId}`).sort(),
    '/v1/docs has one article per operation of /v1/openapi.json',
  );
  check(reference.dangling.length === 0, '/v1/docs: every in-page link resolves', reference.dangling.join(' '));
  check(
    reference.background === 'rgb(247, 246, 243)',
    '/v1/docs is styled by its own stylesheet (allowed by its CSP)',
    reference.background,
  );
  const headings = await page.locator('h2').allTextContents();
  check(
    openapi.tags.every((tag) => headings.includes(tag.name)),
    '/v1/docs has a heading per tag of the document',
    headings.join(', '),
  );
  await page.screenshot({ path: path.join(shotsDir, 'docs-en.png') });
  await phonePage.goto(`${base}/v1/docs`);
  const docsWidth = await phonePage.evaluate(() => document.documentElement.scrollWidth);
  check(docsWidth <= 390, '/v1/docs fits a 390-px-wide screen (wide tables scroll in their box)', `${docsWidth}`);
  await phonePage.screenshot({ path: path.join(shotsDir, 'docs-mobile.png') });
  await phone.close();
  console.log(`# screenshots in ${shotsDir}`);

  check(problems.length === 0, 'no console error, CSP violation or script error', problems.join('\n  '));
  const foreign = requests.filter((u) => !u.startsWith(base));
  check(foreign.length === 0, 'the pages requested nothing from another origin', foreign.join(' '));
  const extra = requests.filter(
    (u) => !/\/((fr\/)?telemetry|v1\/docs)(#main)?$/.test(u) && !u.endsWith('/favicon.ico'));
  check(extra.length === 0, 'the pages loaded no resource besides themselves', extra.join(' '));
}

try {
  await main();
} catch (error) {
  failures += 1;
  console.log(`not ok - ${error.stack ?? error}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer().catch(() => {});
  clearTimeout(watchdog);
}
console.log(failures === 0 ? '# all checks passed' : `# ${failures} check(s) failed`);
process.exitCode = failures === 0 ? 0 : 1;
