// How each column's values read, in the reader's language: counts with separators, shares as
// percentages, seconds as minutes and seconds, ids as names. Withheld cells read "<11" and
// missing ones "–" everywhere (tables, descriptions, summaries).
import { language, languageName, localized, valueName, weekdayName } from './i18n.js';

export const WITHHELD = '<11';
export const MISSING = '–';

const PERCENT_COLUMNS = new Set(['attraction_power', 'diligent_share']);
const RATIO_COLUMNS = new Map([['holding_power', 2], ['sweep_rate_index', 2], ['median_page_depth', 1]]);
const VALUE_COLUMNS = new Set(['measure', 'day_kind', 'daypart', 'feature', 'device_kind', 'input', 'step']);

// Names for branch and package ids, from /api/filters.
const lookup = { branches: new Map(), packages: new Map() };
export function setNames(filters) {
  lookup.branches = new Map((filters?.branches ?? []).map((branch) => [branch.id, branch.name]));
  lookup.packages = new Map((filters?.packages ?? []).map((item) =>
    typeof item === 'string' ? [item, item] : [item.id, item.name ?? item.id]));
}
export const branchName = (id) => (id == null ? MISSING : localized(lookup.branches.get(id), id));
export const packageName = (id) => (id == null ? MISSING : localized(lookup.packages.get(id), id));

export const count = (value) => new Intl.NumberFormat(language()).format(value);
export const percent = (share, digits = 0) =>
  new Intl.NumberFormat(language(), { style: 'percent', maximumFractionDigits: digits }).format(share);
export const decimal = (value, digits) =>
  new Intl.NumberFormat(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);

export function duration(seconds) {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (language() === 'zh-CN') return minutes > 0 ? `${minutes} 分 ${rest} 秒` : `${rest} 秒`;
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
}

// An axis tick: whole minutes read "3 min", anything else as a duration.
export function durationTick(seconds) {
  if (seconds % 60 !== 0 || seconds === 0) return duration(seconds);
  return language() === 'zh-CN' ? `${seconds / 60} 分` : `${seconds / 60} min`;
}

export const hourRange = (hour) => `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;

export function dateTime(value) {
  const date = typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

// A cell as text. `withheld` is whether the hub listed it in "suppressed".
export function cellText(column, value, withheld) {
  if (withheld) return WITHHELD;
  if (value === null || value === undefined) return MISSING;
  if (column === 'branch') return branchName(value);
  if (column === 'package') return packageName(value);
  if (column === 'weekday') return weekdayName(value);
  if (column === 'hour') return hourRange(value);
  if (column === 'language') return languageName(value);
  if (column === 'last_seen') return dateTime(value);
  if (VALUE_COLUMNS.has(column)) return valueName(value);
  if (typeof value !== 'number') return String(value);
  if (PERCENT_COLUMNS.has(column)) return percent(value);
  if (RATIO_COLUMNS.has(column)) return decimal(value, RATIO_COLUMNS.get(column));
  if (column.endsWith('_seconds')) return duration(value);
  return count(value);
}

// A measure's value where its unit depends on the row (overview's totals: visitors, seconds).
export function measureText(measure, value, withheld) {
  return cellText(measure === 'median_visit_seconds' ? 'median_visit_seconds' : 'visitors', value, withheld);
}

// Columns whose values are numbers to right-align.
export const isNumeric = (column) =>
  !['day', 'branch', 'package', 'exhibit', 'device', 'language', 'weekday', 'hour', 'last_seen', 'measure'].includes(column) &&
  !VALUE_COLUMNS.has(column);
