// The dashboard in headless Chromium against a real hub holding known visits (known_data.mjs):
// signing in, each view's charts and tables, the filters, the language switch, axe-core, reflow
// on a phone-sized screen, the monthly summary; a screenshot of each view for a person to see.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  accessibilityProblems, chartOption, hubUrl, launch, openPage, rowOf, screenshotFolder, signIn, tableOf, waitReady,
} from './browser.mjs';
import { EXPECTED, KNOWN, PERIOD } from './known_data.mjs';

const base = hubUrl();
const period = `from=${PERIOD.from}&to=${PERIOD.to}`;
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await openPage(browser);
});
after(async () => {
  await browser?.close();
});

// The hub's medians are estimated from its aggregates, not sorted from raw visits: within 5 %.
function assertNear(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 0.05 * expected, `${what}: ${actual}, expected about ${expected}`);
}
// "2 min 26 s" → 146
function seconds(text) {
  const [, minutes = 0, rest] = text.match(/^(?:(\d+) min )?(\d+) s$/) ?? [];
  return Number(minutes) * 60 + Number(rest);
}

async function show(view, query = period) {
  await page.goto(`${base}/?view=${view}&${query}`);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', await page.textContent('#view-error'));
}

async function check(view) {
  assert.deepEqual(await accessibilityProblems(page), [], `axe-core on the ${view} view`);
  assert.deepEqual(page.problems, [], `the ${view} view's console`);
  await page.screenshot({ path: path.join(screenshotFolder(), `${view}.png`), fullPage: true });
}

test('Dashboard.SignIn: a wrong password is refused in words, the right one opens the overview', async () => {
  await page.goto(`${base}/`);
  await page.waitForSelector('#sign-in:not([hidden])');
  assert.deepEqual(await accessibilityProblems(page), [], 'axe-core on the sign-in form');
  await page.screenshot({ path: path.join(screenshotFolder(), 'sign-in.png') });
  await page.fill('#user', 'ada');
  await page.fill('#password', 'not the password at all');
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#sign-in-error:not([hidden])');
  assert.match(await page.textContent('#sign-in-error'), /do not match/);
  await signIn(page, base, 'ada', KNOWN.people[0].password);
  assert.match(await page.textContent('#who'), /ada \(administrator\)/);
});

test('Dashboard.Overview: totals, visitors by day against the previous period, a CSV of the same table', async () => {
  await show('overview');
  const cards = Object.fromEntries(await page.$$eval('.card', (nodes) =>
    nodes.map((node) => [node.dataset.measure, node.querySelector('.card-value').textContent])));
  assert.equal(cards.visitors, String(EXPECTED.visitors));
  assert.equal(cards.exhibits_opened, String(EXPECTED.exhibits_opened));
  assertNear(seconds(cards.median_visit_seconds), EXPECTED.median_visit_seconds, 'median visit');
  const option = await chartOption(page, 'visitors-by-day');
  const days = option.xAxis[0].data;
  assert.equal(days.length, 14);
  assert.equal(option.series[0].data[days.indexOf('2026-11-07')], EXPECTED.saturday_visitors);
  assert.equal(option.series[1].name, 'Previous period');
  assert.equal(rowOf(await tableOf(page, 'visitors-by-day'), '2026-11-07').Visitors, String(EXPECTED.saturday_visitors));
  assert.equal(rowOf(await tableOf(page, 'visitors-by-day'), '2026-11-11').Visitors, '<11');
  assert.match(await page.textContent('#fig-visitors-by-day .description'), /busiest day was 2026-11-07 with 50 visitors/);
  const href = await page.getAttribute('#fig-visitors-by-day .export a', 'href');
  assert.equal(href, `/api/views/overview/by_day.csv?${period}`);
  const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
  assert.match(csv, /2026-11-07,50,/);
  // The banner says what the hub says: whether any of the data shown is simulated.
  const simulated = await page.evaluate(async (query) => (await (await fetch(`/api/views/overview?${query}`)).json()).simulated, period);
  assert.equal(await page.isVisible('#simulated'), simulated, 'the demonstration data banner');
  await check('overview');
});

test('Dashboard.When: the hour × weekday heatmap, the calendar and dayparts', async () => {
  await show('when');
  const cells = (await chartOption(page, 'heatmap')).series[0].data;
  const at = (weekday, hour) => cells.find(([h, w]) => h === hour && w === weekday - 1)?.[2];
  assert.equal(at(6, 15), EXPECTED.heatmap.saturday_15);
  assert.equal(at(6, 11), EXPECTED.heatmap.saturday_11);
  assert.equal(at(1, 10), EXPECTED.heatmap.monday_10);
  assert.equal(at(3, 20), '-', 'five visitors are withheld, not drawn');
  const heatmap = await tableOf(page, 'heatmap');
  assert.equal(rowOf(heatmap, 'Wednesday')['20'], '<11');
  assert.equal(rowOf(heatmap, 'Saturday')['15'], String(EXPECTED.heatmap.saturday_15));
  assert.ok(await page.isVisible('#fig-heatmap .withheld-note') || (await page.textContent('#fig-heatmap .withheld-note')).includes('<11'));
  assert.match(await page.textContent('#fig-heatmap .description'), /busiest hour of the week is Saturday 15:00–16:00 with 30 visitors/);
  const calendar = await tableOf(page, 'calendar');
  assert.equal(rowOf(calendar, '2026-11-11')['Kind of day'], 'holiday');
  assert.equal(rowOf(calendar, '2026-11-07').Visitors, '50');
  // The calendar is the whole year; only the period's 14 days are coloured and counted.
  const year = await chartOption(page, 'calendar');
  assert.deepEqual(year.calendar.map(({ range }) => range), ['2026']);
  const counted = year.series.filter(({ type }) => type === 'heatmap').flatMap(({ data }) => data);
  assert.deepEqual(counted.map(([day]) => day).sort(), Array.from({ length: 14 }, (_, index) => `2026-11-${String(index + 2).padStart(2, '0')}`));
  assert.deepEqual(counted.find(([day]) => day === '2026-11-07'), ['2026-11-07', EXPECTED.saturday_visitors]);
  assert.match(await page.textContent('#fig-calendar .description'), /whole year is drawn; only the days from 2026-11-02 to 2026-11-15 are counted/);
  await check('when');
  // A period across New Year draws both years.
  await show('when', 'from=2026-12-28&to=2027-01-03');
  assert.deepEqual((await chartOption(page, 'calendar')).calendar.map(({ range }) => range), ['2026', '2027']);
});

test('Dashboard.What: attraction and holding power per exhibit, poems, scenes', async () => {
  await show('what');
  const option = await chartOption(page, 'attraction');
  const labels = option.yAxis[0].data;
  const value = (label) => option.series[0].data[labels.findIndex((text) => text.endsWith(label))];
  assert.equal(value('celadon-vase'), EXPECTED.vase_attraction);
  assert.ok(Math.abs(value('bronze-ding') - EXPECTED.ding_attraction) < 1e-9);
  const table = await tableOf(page, 'attraction');
  assert.equal(rowOf(table, 'celadon-vase').Visitors, String(EXPECTED.vase_visitors));
  assert.equal(rowOf(table, 'bronze-ding')['Attraction power'], '36%');
  const holding = await tableOf(page, 'holding');
  assertNear(Number(rowOf(holding, 'celadon-vase')['Holding power']), EXPECTED.vase_holding, 'the vase\'s holding power');
  assertNear(Number(rowOf(holding, 'bronze-ding')['Holding power']), EXPECTED.ding_holding, 'the ding\'s holding power');
  assert.equal(rowOf(await tableOf(page, 'poems'), 'jingyesi')['Poems completed'], String(EXPECTED.poems_completed));
  const funnel = await chartOption(page, 'funnel');
  assert.deepEqual(funnel.series[0].data.map(({ value }) => value), EXPECTED.funnel);
  const steps = await tableOf(page, 'funnel');
  assert.equal(rowOf(steps, 'Opened an exhibit').Visitors, String(EXPECTED.funnel[1]));
  assert.equal(rowOf(steps, 'Opened an exhibit')['Went no further'], String(EXPECTED.funnel[1] - EXPECTED.funnel[2]));
  assert.equal(rowOf(steps, 'Heard a poem to its end').Visitors, String(EXPECTED.funnel[3]));
  assert.match(await page.textContent('#fig-funnel .description'), /Of 67 visitors, 67 \(100%\) opened an exhibit, 12 \(18%\) started a poem’s recitation and 12 \(18%\) heard one to its end/);
  const href = await page.getAttribute('#fig-funnel .export a', 'href');
  assert.equal(href, `/api/views/what/funnel.csv?${period}`);
  assert.match(await page.evaluate(async (url) => (await fetch(url)).text(), href), /opened_exhibit,67,55/);
  await check('what');
});

test('Dashboard.How: languages, accessibility features, devices and inputs', async () => {
  await show('how');
  assert.equal(rowOf(await tableOf(page, 'languages'), 'English').Visitors, String(EXPECTED.english));
  assert.equal(rowOf(await tableOf(page, 'accessibility'), 'high contrast').Visitors, String(EXPECTED.high_contrast));
  assert.equal(rowOf(await tableOf(page, 'devices'), 'kiosk').Visitors, String(EXPECTED.kiosk));
  const inputs = await chartOption(page, 'inputs');
  const labels = inputs.yAxis[0].data;
  assert.equal(inputs.series[0].data[labels.indexOf('touch')], EXPECTED.touch);
  assert.equal(inputs.series[0].data[labels.indexOf('keypad')], EXPECTED.keypad);
  await check('how');
});

test('Dashboard.Campaigns: the gallery across both branches', async () => {
  await show('campaigns', `${period}&package=gallery`);
  const table = await tableOf(page, 'branches');
  assert.equal(rowOf(table, 'North Branch').Visitors, '35');
  assert.equal(rowOf(table, 'South Branch').Visitors, '20');
  const option = await chartOption(page, 'branches');
  assert.equal(option.series[0].data[option.yAxis[0].data.indexOf('North Branch')], 35);
  await check('campaigns');
});

test('Dashboard.Health: every kiosk with its events received', async () => {
  await show('health');
  const table = await tableOf(page, 'health');
  for (const [device, received] of Object.entries(EXPECTED.received)) {
    const row = rowOf(table, device);
    assert.ok(row, `${device} is listed`);
    assert.equal(row.Received, received.toLocaleString('en-US'));
    assert.equal(row.Missing, '0');
  }
  await check('health');
});

test('Dashboard.DemonstrationData: a simulated fortnight says so, in a banner', async () => {
  const query = `from=${KNOWN.simulated.from}&to=${KNOWN.simulated.end}`;
  await show('when', query);
  assert.ok(await page.isVisible('#simulated'));
  const cells = (await chartOption(page, 'heatmap')).series[0].data.filter(([, , visitors]) => visitors !== '-' && visitors > 0);
  assert.ok(cells.length > 20, 'visits spread over the week');
  await page.screenshot({ path: path.join(screenshotFolder(), 'when-demo.png'), fullPage: true });
  await show('what', query);
  await page.screenshot({ path: path.join(screenshotFolder(), 'what-demo.png'), fullPage: true });
  // The same hub holds no simulated visit in the known fortnight: no banner there.
  await show('when');
  assert.equal(await page.isVisible('#simulated'), false);
});

test('Dashboard.Keyboard: skip link, views by Tab and Enter, a visible focus ring; tooltips within the CSP', async () => {
  await show('overview');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  assert.ok(await page.isVisible('.skip-link'), 'the skip link shows when focused');
  await page.focus('#views a[data-view=when]');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(ring, 'solid');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.search.includes('view=when') && document.body.dataset.state === 'ready');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'view-title');
  // Over Saturday 15:00's cell, where ECharts says it drew it.
  const box = await page.locator('[data-chart=heatmap]').boundingBox();
  const [x, y] = await page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('[data-chart=heatmap]'))
    .convertToPixel({ seriesIndex: 0 }, [15, 5]));
  await page.mouse.move(box.x + x, box.y + y);
  await page.waitForFunction(() => [...document.querySelectorAll('#fig-heatmap .chart div')]
    .some((node) => node.textContent.includes('Saturday 15:00–16:00: 30')));
  assert.deepEqual(page.problems, [], 'no Content-Security-Policy report from the tooltip');
});

test('Dashboard.Filters: a branch chosen in the form changes the numbers and the address', async () => {
  await show('overview');
  await page.selectOption('#branch', 'south');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => location.search.includes('branch=south') && document.body.dataset.state === 'ready');
  assert.equal(await page.textContent('.card[data-measure=visitors] .card-value'), String(EXPECTED.south_visitors));
  await page.fill('#from', '2026-11-08');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => location.search.includes('from=2026-11-08') && document.body.dataset.state === 'ready');
  assert.equal(await page.textContent('.card[data-measure=visitors] .card-value'), '0');
  await page.goBack();
  await waitReady(page);
  assert.equal(await page.inputValue('#from'), PERIOD.from);
});

test('Dashboard.Language: the switch turns the page into Chinese, and is remembered', async () => {
  await show('when');
  await page.click('#language');
  await waitReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('#view-title'), '时间');
  assert.equal(await page.textContent('#views a[data-view=overview]'), '概览');
  assert.match(await page.textContent('#fig-heatmap .description'), /周六 15:00–16:00，共 30 人次/);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal((await tableOf(page, 'heatmap'))[0][0], '星期');
  assert.deepEqual(await accessibilityProblems(page), [], 'axe-core in Chinese');
  await page.screenshot({ path: path.join(screenshotFolder(), 'when-zh-CN.png'), fullPage: true });
  await page.click('#language');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('#view-title'), 'When');
});

test('Dashboard.Reflow: at 320 px wide nothing but a table scrolls sideways', async () => {
  await page.setViewportSize({ width: 320, height: 800 });
  await show('what');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'the page fits 320 px');
  assert.deepEqual(await accessibilityProblems(page), [], 'axe-core at 320 px');
  await page.screenshot({ path: path.join(screenshotFolder(), 'what-320px.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('Dashboard.Summary: the month on one printable page', async () => {
  await page.goto(`${base}/summary.html?month=2026-11`);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
  assert.equal(await page.textContent('#fig-totals .card[data-measure=visitors] .card-value'), String(EXPECTED.visitors));
  assert.ok(await page.$('#fig-heatmap svg'), 'charts drawn as SVG for print');
  assert.deepEqual(await accessibilityProblems(page), [], 'axe-core on the summary');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('#print'), false, 'no controls on paper');
  await page.screenshot({ path: path.join(screenshotFolder(), 'summary-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(page.problems, []);
});
