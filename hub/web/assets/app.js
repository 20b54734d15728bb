// The dashboard page: signing in, the filters (kept in the address, so a view can be linked),
// the six views and the language switch. The hub answers every number (hub/DASHBOARD.md); this
// page only draws them.
import * as api from './api.js';
import { disposeCharts, element, mountAll } from './figure.js';
import { setNames } from './format.js';
import { chooseLanguage, language, setLanguage, t } from './i18n.js';
import { buildView, VIEWS } from './views.js';

const $ = (selector) => document.querySelector(selector);
const DAY_MS = 86400000;

const state = {
  session: null,
  filters: null,  // /api/filters
  view: 'overview',
  filter: { from: '', to: '', branch: '', package: '' },
  data: null,     // the view's last answer, redrawn when the language changes
};

// Texts of the static page: elements marked data-text (their text) or data-label (aria-label).
function applyTexts() {
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll('[data-label]')) node.setAttribute('aria-label', t(node.dataset.label));
  const other = language() === 'zh-CN' ? 'en' : 'zh-CN';
  const button = $('#language');
  button.textContent = t('app.switch');
  button.lang = other;
  button.setAttribute('aria-label', t('app.switch.label'));
  if (state.session) {
    $('#who').textContent = t('app.signed_in', { user: state.session.user, role: t(`role.${state.session.role}`) });
  }
  for (const link of document.querySelectorAll('#views a[data-view]')) link.textContent = t(`view.${link.dataset.view}`);
}

// The address holds the view and the filter: ?view=when&from=…&to=…&branch=…&package=…
function readAddress() {
  const query = new URLSearchParams(location.search);
  state.view = VIEWS.includes(query.get('view')) ? query.get('view') : 'overview';
  for (const key of Object.keys(state.filter)) state.filter[key] = query.get(key) ?? '';
}
function address(view = state.view, filter = state.filter) {
  const query = new URLSearchParams({ view });
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  return `?${query}`;
}

function showSignIn(message) {
  state.session = null;
  disposeCharts();
  $('#dashboard').hidden = true;
  $('#views').hidden = true;
  $('#account').hidden = true;
  $('#sign-in').hidden = false;
  const error = $('#sign-in-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  document.title = `${t('signin.heading')} · ${t('app.title')}`;
  $('#user').focus();
}

async function signIn(event) {
  event.preventDefault();
  const error = $('#sign-in-error');
  const button = $('#sign-in-form button');
  button.disabled = true;
  try {
    const session = await api.signIn($('#user').value.trim(), $('#password').value);
    $('#password').value = '';
    await start(session);
  } catch (failure) {
    error.hidden = false;
    error.textContent = failure.status === 401 ? t('signin.failed')
      : failure.status === 429 ? t('signin.locked', { reason: failure.text() }) : failure.text();
    $('#password').focus();
  } finally {
    button.disabled = false;
  }
}

function fillSelect(select, allText, items, chosen) {
  select.replaceChildren();
  if (allText) select.append(element('option', { value: '', text: allText }));
  for (const [value, text] of items) select.append(element('option', { value, text }));
  select.value = items.some(([value]) => value === chosen) ? chosen : (allText ? '' : items[0]?.[0] ?? '');
}

// The filter form's choices, in the reader's language.
function fillFilters() {
  const filters = state.filters ?? {};
  const branches = (filters.branches ?? []).map((branch) => [branch.id, typeof branch.name === 'object' ? (branch.name[language()] ?? branch.id) : (branch.name ?? branch.id)]);
  // A librarian's list holds only their own branch: nothing to choose from.
  fillSelect($('#branch'), branches.length > 1 ? t('filters.all_branches') : null, branches, state.filter.branch);
  $('#branch').disabled = branches.length <= 1;
  const packages = (filters.packages ?? []).map((item) => (typeof item === 'string' ? [item, item]
    : [item.id, typeof item.name === 'object' ? (item.name[language()] ?? item.id) : (item.name ?? item.id)]));
  fillSelect($('#package'), t('filters.all_packages'), packages, state.filter.package);
  const range = $('#range');
  const chosen = range.value;
  range.replaceChildren(...['custom', 'last7', 'last28', 'last90', 'last365', 'all'].map((id) =>
    element('option', { value: id, text: t(`filters.range.${id}`) })));
  range.value = chosen || 'custom';
  $('#from').value = state.filter.from;
  $('#to').value = state.filter.to;
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

// A preset period ends on the last day the hub holds (or today) and fills the date fields.
function applyRange() {
  const id = $('#range').value;
  if (id === 'custom') return;
  const last = state.filters?.last_day ?? isoDay(Date.now());
  const lastMs = Date.parse(last);
  const first = id === 'all' ? (state.filters?.first_day ?? last) : isoDay(lastMs - (Number(id.slice(4)) - 1) * DAY_MS);
  $('#from').value = first;
  $('#to').value = last;
}

function submitFilters(event) {
  event.preventDefault();
  const from = $('#from').value;
  const to = $('#to').value;
  const problem = $('#filter-error');
  if (from && to && from > to) {
    problem.hidden = false;
    problem.textContent = t('filters.bad_range');
    $('#from').focus();
    return;
  }
  problem.hidden = true;
  state.filter = { from, to, branch: $('#branch').value, package: $('#package').value };
  history.pushState(null, '', address());
  load();
}

function renderNavigation() {
  for (const link of document.querySelectorAll('#views a[data-view]')) {
    link.href = address(link.dataset.view);
    if (link.dataset.view === state.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const month = (state.filter.to || state.filters?.last_day || isoDay(Date.now())).slice(0, 7);
  const summary = new URLSearchParams({ month });
  if (state.filter.branch) summary.set('branch', state.filter.branch);
  if (state.filter.package) summary.set('package', state.filter.package);
  $('#summary-link').href = `/summary.html?${summary}`;
}

async function render() {
  const data = state.data;
  disposeCharts();
  if (data) document.body.dataset.state = 'drawing';
  const figures = $('#figures');
  figures.replaceChildren();
  $('#view-title').textContent = t(`view.${state.view}`);
  $('#view-intro').textContent = t(`view.${state.view}.intro`);
  document.title = `${t(`view.${state.view}`)} · ${t('app.title')}`;
  renderNavigation();
  if (!data) return;
  $('#simulated').hidden = !data.simulated;
  // The dates shown are the ones the hub answered for (its default when none was asked).
  if (data.filter) {
    $('#from').value = data.filter.from ?? '';
    $('#to').value = data.filter.to ?? '';
  }
  const filter = { ...state.filter, from: data.filter?.from ?? state.filter.from, to: data.filter?.to ?? state.filter.to };
  figures.append(...buildView(state.view, data, filter));
  if (await mountAll(figures)) document.body.dataset.state = 'ready';
}

let loading = 0;
// Shows the view of the address; `pending`, when given, is its answer already asked for.
async function load(pending = null) {
  const ticket = ++loading;
  document.body.dataset.state = 'loading';
  const status = $('#status');
  status.textContent = t('app.loading');
  $('#view-error').hidden = true;
  try {
    const data = await (pending ?? api.view(state.view, state.filter));
    if (ticket !== loading) return;  // a later request has been made meanwhile
    state.data = data;
    status.textContent = '';
    render();
  } catch (failure) {
    if (ticket !== loading) return;
    status.textContent = '';
    if (failure.status === 401) return showSignIn(t('error.session'));
    state.data = null;
    render();
    const error = $('#view-error');
    error.hidden = false;
    error.textContent = failure.text();
    document.body.dataset.state = 'error';
  }
}

async function start(session) {
  state.session = session;
  // A librarian's own branch unless the address names another: then the hub's refusal says why
  // there is nothing to see, rather than their own numbers under another branch's link.
  if (session.role === 'librarian' && session.branch && !state.filter.branch) state.filter.branch = session.branch;
  // The view's numbers are asked for while the filters' choices come.
  const pending = api.view(state.view, state.filter);
  pending.catch(() => {});  // handled by load(); this only keeps an early failure from being "unhandled"
  state.filters = await api.filters();
  setNames(state.filters);
  $('#sign-in').hidden = true;
  $('#account').hidden = false;
  $('#views').hidden = false;
  $('#dashboard').hidden = false;
  applyTexts();
  fillFilters();
  await load(pending);
}

function switchLanguage() {
  setLanguage(language() === 'zh-CN' ? 'en' : 'zh-CN', true);
  applyTexts();
  if (state.session) {
    fillFilters();
    render();
  } else {
    document.title = `${t('signin.heading')} · ${t('app.title')}`;
  }
  $('#language').focus();
}

async function signOut() {
  try {
    await api.signOut();
  } catch {
    // Signed out on this page whatever the hub said; the cookie ends within its 8 hours anyway.
  }
  state.data = null;
  showSignIn(null);
}

function navigate(event) {
  const link = event.target.closest('a[data-view]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  state.view = link.dataset.view;
  history.pushState(null, '', address());
  load();
  $('#view-title').focus();
}

async function main() {
  setLanguage(chooseLanguage(), false);
  readAddress();
  applyTexts();
  $('#language').addEventListener('click', switchLanguage);
  $('#sign-in-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', signOut);
  $('#filters').addEventListener('submit', submitFilters);
  $('#range').addEventListener('change', applyRange);
  for (const input of [$('#from'), $('#to')]) input.addEventListener('change', () => { $('#range').value = 'custom'; });
  $('#views').addEventListener('click', navigate);
  window.addEventListener('popstate', () => {
    readAddress();
    if (state.session) {
      fillFilters();
      load();
    }
  });
  try {
    const session = await api.currentSession();
    if (session) await start(session);
    else showSignIn(null);
  } catch (failure) {
    showSignIn(failure.text?.() ?? t('error.network'));
  }
}

main();
