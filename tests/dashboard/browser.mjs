// What the browser tests share: Debian's Chromium driven by Playwright (both from hub/web's npm
// packages), the fixture hub's address, signing in, reading a chart's ECharts option and a
// figure's table, axe-core, and where screenshots go.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(new URL('../../hub/web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function hubUrl() {
  const folder = process.env.PAVILION_DASHBOARD_HUB;
  if (!folder) throw new Error('PAVILION_DASHBOARD_HUB names the fixture hub\'s folder (CTest sets it)');
  return JSON.parse(fs.readFileSync(path.join(folder, 'state.json'), 'utf8')).url;
}

export const screenshotFolder = () => {
  const folder = process.env.PAVILION_DASHBOARD_SCREENSHOTS ?? path.join(process.cwd(), 'dashboard-screenshots');
  fs.mkdirSync(folder, { recursive: true });
  return folder;
};

// Flags for a machine with no network: no background connections, no first-run work.
export const launch = () => chromium.launch({
  executablePath: process.env.PAVILION_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

// A page that fails the test on any script error or Content-Security-Policy violation.
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[13]/.test(message.text())) page.problems.push(`console: ${message.text()}`);
  });
  return page;
}

export const waitReady = (page) => page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 15000 });

export async function signIn(page, base, user, password) {
  await page.goto(`${base}/`);
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#dashboard:not([hidden])');
  await waitReady(page);
}

// The ECharts option of the chart in figure `id` (series data as ECharts holds it).
export const chartOption = (page, id) => page.evaluate((figure) => {
  const chart = document.querySelector(`[data-chart="${figure}"]`);
  const option = chart && window.echarts.getInstanceByDom(chart)?.getOption();
  return option ? JSON.parse(JSON.stringify({ series: option.series, xAxis: option.xAxis, yAxis: option.yAxis, calendar: option.calendar })) : null;
}, id);

// A figure's table as rows of cell texts, the header row first.
export const tableOf = (page, id) => page.evaluate((figure) => [...document.querySelectorAll(`#fig-${figure} table tr`)]
  .map((row) => [...row.cells].map((cell) => cell.firstChild?.textContent?.trim() ?? '')), id);

// The row of a table whose first cell is `first`, as {column heading: text}.
export function rowOf(table, first) {
  const [head, ...rows] = table;
  const row = rows.find((cells) => cells[0] === first);
  return row ? Object.fromEntries(head.map((heading, index) => [heading, row[index]])) : null;
}

// axe-core's serious and critical findings under WCAG 2.x A and AA (2.2 included).
export async function accessibilityProblems(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  return result.violations.filter((violation) => ['serious', 'critical'].includes(violation.impact))
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')})`);
}
