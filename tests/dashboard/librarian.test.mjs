// A branch librarian in the browser: only their branch to choose, only its numbers in every view
// and export, and another branch's address answered with the hub's refusal, not its numbers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { hubUrl, launch, openPage, rowOf, screenshotFolder, signIn, tableOf, waitReady } from './browser.mjs';
import { EXPECTED, KNOWN, PERIOD } from './known_data.mjs';

const base = hubUrl();
const period = `from=${PERIOD.from}&to=${PERIOD.to}`;
const librarian = KNOWN.people.find((person) => person.role === 'librarian');
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await openPage(browser, { locale: 'zh-CN' });
  await signIn(page, base, librarian.name, librarian.password);
});
after(async () => {
  await browser?.close();
});

test('Dashboard.LibrarianSeesTheirBranchOnly', async () => {
  // The browser asks for Chinese: the page follows it.
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.deepEqual(await page.$$eval('#branch option', (options) => options.map((option) => option.value)), [librarian.branch]);
  assert.equal(await page.isDisabled('#branch'), true);

  await page.goto(`${base}/?view=overview&${period}`);
  await waitReady(page);
  assert.equal(await page.textContent('.card[data-measure=visitors] .card-value'), String(EXPECTED.north_visitors));
  await page.screenshot({ path: path.join(screenshotFolder(), 'overview-librarian-zh-CN.png'), fullPage: true });

  await page.goto(`${base}/?view=campaigns&${period}&package=gallery`);
  await waitReady(page);
  const branches = await tableOf(page, 'branches');
  assert.ok(rowOf(branches, '北馆'), 'their own branch is there');
  assert.equal(rowOf(branches, '南馆'), null, 'no other branch');

  await page.goto(`${base}/?view=health&${period}`);
  await waitReady(page);
  const devices = (await tableOf(page, 'health')).slice(1).map((row) => row[0]);
  assert.deepEqual(devices, ['north-kiosk-1']);

  await page.goto(`${base}/?view=when&${period}&branch=south`);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
  assert.equal(await page.$('#fig-heatmap'), null, 'no chart of another branch');
  assert.notEqual((await page.textContent('#view-error')).trim(), '');

  const answers = await page.evaluate(async (query) => Promise.all([
    fetch(`/api/views/overview?${query}&branch=south`).then((response) => response.status),
    fetch(`/api/views/when/heatmap.csv?${query}&branch=south`).then((response) => response.status),
  ]), period);
  assert.deepEqual(answers, [403, 403]);
  const csv = await page.evaluate(async (query) => (await fetch(`/api/views/overview/totals.csv?${query}`)).text(), period);
  assert.match(csv, new RegExp(`visitors,${EXPECTED.north_visitors},`));
  assert.deepEqual(page.problems, []);
});
