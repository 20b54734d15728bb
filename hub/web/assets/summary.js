// The printable monthly summary (summary.html?month=2026-11&branch=…&package=…): the figures a
// head of reader services takes to a meeting, from the same views and tables as the dashboard,
// every table shown, charts drawn as SVG so they print sharp.
import * as api from './api.js';
import { disposeCharts, element, mountAll } from './figure.js';
import { branchName, packageName, setNames } from './format.js';
import { chooseLanguage, language, setLanguage, t } from './i18n.js';
import { buildView } from './views.js';

const $ = (selector) => document.querySelector(selector);

// Which figures of which views the summary holds, in order.
const CONTENTS = [
  ['overview', ['totals', 'visitors-by-day']],
  ['when', ['heatmap', 'dayparts']],
  ['what', ['attraction', 'scenes']],
  ['how', ['languages', 'accessibility']],
  ['health', ['health']],
];

const query = new URLSearchParams(location.search);
const state = { answers: null, filter: null };

function monthFilter(month) {
  const [year, number] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return {
    from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`,
    branch: query.get('branch') ?? '', package: query.get('package') ?? '',
  };
}

function applyTexts() {
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  const button = $('#language');
  button.textContent = t('app.switch');
  button.lang = language() === 'zh-CN' ? 'en' : 'zh-CN';
  button.setAttribute('aria-label', t('app.switch.label'));
  document.title = `${t('summary.title')} · ${t('app.title')}`;
}

async function render() {
  disposeCharts();
  const figures = $('#figures');
  figures.replaceChildren();
  if (!state.answers) return;
  const { filter } = state;
  $('#summary-period').textContent = `· ${t('summary.period', { from: filter.from, to: filter.to })}`;
  const scope = [filter.branch ? branchName(filter.branch) : t('filters.all_branches'),
    filter.package ? packageName(filter.package) : t('filters.all_packages')];
  $('#summary-scope').textContent = scope.join(' · ');
  $('#simulated').hidden = !state.answers.some(([, data]) => data.simulated);
  for (const [view, data] of state.answers) {
    const wanted = CONTENTS.find(([name]) => name === view)[1];
    for (const node of buildView(view, data, filter)) {
      if (!wanted.includes(node.id.replace(/^fig-/, ''))) continue;
      node.querySelector('details').open = true;
      figures.append(node);
    }
  }
  document.body.dataset.state = 'drawing';
  if (await mountAll(figures, 'svg')) document.body.dataset.state = 'ready';
}

async function load(month) {
  document.body.dataset.state = 'loading';
  $('#status').textContent = t('app.loading');
  state.filter = monthFilter(month);
  try {
    state.answers = await Promise.all(CONTENTS.map(async ([view]) => [view, await api.view(view, state.filter)]));
    $('#status').textContent = '';
    render();
  } catch (failure) {
    $('#status').textContent = '';
    const error = $('#summary-error');
    error.hidden = false;
    error.textContent = failure.status === 401 ? t('error.session') : failure.text();
    document.body.dataset.state = 'error';
  }
}

async function main() {
  setLanguage(chooseLanguage(), false);
  applyTexts();
  $('#language').addEventListener('click', () => {
    setLanguage(language() === 'zh-CN' ? 'en' : 'zh-CN', true);
    applyTexts();
    render();
  });
  $('#print').addEventListener('click', () => window.print());
  let session = null;
  try {
    session = await api.currentSession();
  } catch (failure) {
    $('#summary-error').hidden = false;
    $('#summary-error').textContent = failure.text?.() ?? t('error.network');
    return;
  }
  if (!session) {
    const error = $('#summary-error');
    error.hidden = false;
    error.replaceChildren(element('a', { href: `/?${new URLSearchParams({ view: 'overview' })}`, text: t('error.session') }));
    document.body.dataset.state = 'error';
    return;
  }
  const filters = await api.filters();
  setNames(filters);
  const month = /^\d{4}-\d{2}$/.test(query.get('month') ?? '') ? query.get('month')
    : (filters.last_day ?? new Date().toISOString()).slice(0, 7);
  $('#month').value = month;
  $('#summary-form').addEventListener('submit', (event) => {
    event.preventDefault();
    query.set('month', $('#month').value);
    history.replaceState(null, '', `?${query}`);
    load($('#month').value);
  });
  await load(month);
}

main();
