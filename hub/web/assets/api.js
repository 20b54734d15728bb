// The hub's /api (hub/DASHBOARD.md): the session, the filters and the views' tables. Every
// answer that is not a success becomes an ApiError holding the hub's own sentence, in both
// languages where the hub gave both.
import { localized, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, message, messages) {
    super(message ?? '');
    this.status = status;
    this.messages = messages;  // {"en": …, "zh-CN": …}
  }
  // What to tell the reader, in their language: the hub's sentence, or that it did not answer.
  text() {
    if (this.status === 0) return t('error.network');
    return localized(this.messages, null) ?? (this.message || t('error.network'));
  }
}

let csrf = null;  // the session's token, sent with every request that changes something

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null, null);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, json?.error ?? null, json?.message ?? null);
  return json;
}

export async function currentSession() {
  try {
    const session = await request('GET', '/api/session');
    csrf = session.csrf ?? null;
    return session;
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

export async function signIn(user, password) {
  const session = await request('POST', '/api/session', { user, password });
  csrf = session.csrf ?? null;
  return session;
}

export async function signOut() {
  try {
    await request('DELETE', '/api/session');
  } finally {
    csrf = null;
  }
}

export const filters = () => request('GET', '/api/filters');

// The query string of a filter: from, to (inclusive), branch, package; empty ones left out.
export function filterQuery(filter) {
  const query = new URLSearchParams();
  for (const key of ['from', 'to', 'branch', 'package']) if (filter[key]) query.set(key, filter[key]);
  return query.toString();
}

export async function view(name, filter) {
  return request('GET', `/api/views/${encodeURIComponent(name)}?${filterQuery(filter)}`);
}

export const csvUrl = (viewName, table, filter) =>
  `/api/views/${encodeURIComponent(viewName)}/${encodeURIComponent(table)}.csv?${filterQuery(filter)}`;

// A table of the answer with its cells addressable by column id.
export class Table {
  constructor(json) {
    this.columns = json?.columns ?? [];
    this.rows = json?.rows ?? [];
    this.withheld = new Set((json?.suppressed ?? []).map(([row, column]) => `${row},${column}`));
  }
  column(id) {
    return this.columns.indexOf(id);
  }
  // The value of `id` in row `row`: a number, a string, or null (withheld or missing).
  get(row, id) {
    const index = this.column(id);
    return index < 0 ? null : this.rows[row][index];
  }
  isWithheld(row, id) {
    return this.withheld.has(`${row},${this.column(id)}`);
  }
  get size() {
    return this.rows.length;
  }
  // Rows as objects keyed by column id, each with its index as `_row`.
  records() {
    return this.rows.map((cells, row) => {
      const record = { _row: row };
      this.columns.forEach((id, index) => { record[id] = cells[index]; });
      return record;
    });
  }
}
