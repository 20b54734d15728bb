// Time to the "when" view's heatmap drawn in Chromium, over a simulated year: from navigation to
// ECharts' first drawing of it, against the same view's /api answer alone fetched by the
// same page in the same run. Starts its own hub in a temporary folder.
//   node bench/dashboard_heatmap.mjs [--hub build/release/hub/pavilion-hub] [--branches 10] [--days 365] [--runs 10]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../hub/web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const options = { hub: 'build/release/hub/pavilion-hub', branches: '10', days: '365', runs: '10' };
for (let index = 2; index < process.argv.length; index += 2) options[process.argv[index].replace(/^--/, '')] = process.argv[index + 1];
const runs = Number(options.runs);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pavilion-dashboard-bench-'));
const config = path.join(folder, 'hub.json');
fs.writeFileSync(config, JSON.stringify({ listen: '127.0.0.1:0', database: 'hub.sqlite', time_zone: 'Asia/Shanghai' }));
const end = '2026-11-30';
const from = new Date(Date.parse(end) - (Number(options.days) - 1) * 86400000).toISOString().slice(0, 10);

let started = Date.now();
execFileSync(options.hub, ['simulate', '--branches', options.branches, '--days', options.days, '--end', end, '--seed', '1', '--config', config], { stdio: 'inherit' });
console.log(`simulate: ${((Date.now() - started) / 1000).toFixed(1)} s`);
execFileSync(options.hub, ['user', 'add', 'bench', '--role', 'viewer', '--config', config], { input: 'benchmark password\n' });
const server = spawn(options.hub, ['serve', '--config', config], { stdio: ['ignore', 'pipe', 'ignore'] });
const url = await new Promise((resolve) => server.stdout.on('data', (chunk) => {
  const found = String(chunk).match(/listening on (\S+)/);
  if (found) resolve(found[1]);
}));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${url}/`);
  await page.fill('#user', 'bench');
  await page.fill('#password', 'benchmark password');
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#dashboard:not([hidden])');
  const address = `${url}/?view=when&from=${from}&to=${end}`;
  const page_ms = [];
  const api_ms = [];
  for (let run = 0; run < runs + 1; run += 1) {
    await page.goto(address);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
    // The page marks each chart when ECharts has first drawn it (figure.js).
    const drawn = await page.evaluate(() => performance.getEntriesByName('chart:heatmap')[0].startTime);
    const api = await page.evaluate(async (query) => {
      const before = performance.now();
      await (await fetch(`/api/views/when?${query}`)).json();
      return performance.now() - before;
    }, `from=${from}&to=${end}`);
    if (run > 0) {  // the first load warms the caches (browser, SQLite pages)
      page_ms.push(drawn);
      api_ms.push(api);
    }
  }
  const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
  const p50 = quantile(page_ms, 0.5);
  const api50 = quantile(api_ms, 0.5);
  console.log(`when view, ${options.branches} branches × ${options.days} days, ${runs} loads:`);
  console.log(`  heatmap drawn   p50 ${p50.toFixed(0)} ms  p95 ${quantile(page_ms, 0.95).toFixed(0)} ms (goal ≤ 1000)`);
  console.log(`  /api/views/when p50 ${api50.toFixed(0)} ms  p95 ${quantile(api_ms, 0.95).toFixed(0)} ms`);
  console.log(`  page / API: ${(p50 / api50).toFixed(1)}×`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(folder, { recursive: true, force: true });
}
