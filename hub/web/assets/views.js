// The six views (hub/DASHBOARD.md, "Views and their tables"): each turns the hub's answer into
// figures. A description is a sentence computed from the same cells the chart draws, skipping
// withheld ones, so a screen reader hears what a sighted reader sees at a glance.
import { Table } from './api.js';
import { element, figure, grid, legend, PALETTE, PREVIOUS, series, tooltip } from './figure.js';
import {
  branchName, cellText, count, decimal, duration, durationTick, hourRange, measureText, packageName, percent, WITHHELD,
} from './format.js';
import { language, languageName, name, t, valueName, weekdayName, weekdayShort } from './i18n.js';

export const VIEWS = ['overview', 'when', 'what', 'how', 'campaigns', 'health'];

// The calendar's days outside the chosen period.
const OUTSIDE = '#f0f0f0';

// The known (shown, non-null) values of a column with their rows.
function known(table, column) {
  const out = [];
  table.rows.forEach((_, row) => {
    const value = table.get(row, column);
    if (value !== null && value !== undefined && !table.isWithheld(row, column)) out.push({ row, value });
  });
  return out;
}
const largest = (table, column) => known(table, column).reduce((best, item) => (!best || item.value > best.value ? item : best), null);
const smallest = (table, column) => known(table, column).reduce((best, item) => (!best || item.value < best.value ? item : best), null);
const sum = (table, column) => known(table, column).reduce((total, item) => total + item.value, 0);

// Bars with their value written at the end need room on the right for it.
const labelledBars = { ...grid, right: 56 };
const valueAxis = (formatter) => ({ type: 'value', axisLabel: formatter ? { formatter } : {}, splitLine: { lineStyle: { color: '#d9d9d9' } } });
// A category axis; the names beside horizontal bars are cut at 40 % of the chart (never more
// than 180 px) so the bars keep room on a phone; the table and tooltip hold them whole.
const categoryAxis = (data, extra = {}) => ({
  type: 'category', data, axisTick: { alignWithLabel: true },
  ...(extra.inverse ? { axisLabel: { width: Math.min(180, 0.4 * (window.innerWidth - 64)), overflow: 'truncate' } } : {}),
  ...extra,
});

function changeText(current, previous) {
  if (current == null || previous == null || previous === 0) return t('change.none');
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.005) return t('change.same');
  return t(change > 0 ? 'change.up' : 'change.down', { percent: percent(Math.abs(change)) });
}

// Bars for a "label, visitors" table (how's tables), largest first.
function shareFigure({ id, titleKey, view, tableId, data, filter, labelColumn, label, descriptionKey = 'desc.largest' }) {
  const table = new Table(data.tables[tableId]);
  const order = table.rows.map((_, row) => row).sort((a, b) => (table.get(b, 'visitors') ?? -1) - (table.get(a, 'visitors') ?? -1));
  const top = largest(table, 'visitors');
  const total = sum(table, 'visitors');
  const description = top && top.value > 0
    ? t(descriptionKey, { name: label(table.get(top.row, labelColumn)), count: count(top.value), share: percent(total ? top.value / total : 0) })
    : t('desc.no_counts');
  const labels = order.map((row) => label(table.get(row, labelColumn)) + (table.isWithheld(row, 'visitors') ? ' (<11)' : ''));
  return figure({
    id, title: t(titleKey), description, view, tableId, table, filter,
    height: Math.max(160, 36 * order.length + 60),
    option: {
      grid: labelledBars, tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
      xAxis: valueAxis(), yAxis: categoryAxis(labels, { inverse: true }),
      series: [{ type: 'bar', name: name('visitors'), data: order.map((row) => (table.isWithheld(row, 'visitors') ? null : table.get(row, 'visitors'))),
                 label: { show: true, position: 'right', formatter: ({ value }) => (value == null ? '' : count(value)) } }],
    },
  });
}

function overview(data, filter) {
  const totals = new Table(data.tables.totals);
  const byDay = new Table(data.tables.by_day);
  const rowOf = (measure) => totals.rows.findIndex((cells) => cells[totals.column('measure')] === measure);
  const value = (measure, column) => {
    const row = rowOf(measure);
    return row < 0 || totals.isWithheld(row, column) ? null : totals.get(row, column);
  };
  const cards = element('ul', { className: 'cards' });
  totals.rows.forEach((_, row) => {
    const measure = totals.get(row, 'measure');
    const current = totals.get(row, 'current');
    const previous = totals.get(row, 'previous');
    const withheld = totals.isWithheld(row, 'current');
    cards.append(element('li', { className: 'card', 'data-measure': measure },
      element('span', { className: 'card-label', text: valueName(measure) }),
      element('span', { className: 'card-value', text: measureText(measure, current, withheld) }),
      element('span', { className: 'card-change', text: `${t('series.previous')}: ${measureText(measure, previous, totals.isWithheld(row, 'previous'))} · ${changeText(withheld ? null : current, totals.isWithheld(row, 'previous') ? null : previous)}` })));
  });
  // Totals as the hub counted them: a sum of the days shown would leave the withheld days out.
  const totalText = (measure, column) => {
    const row = rowOf(measure);
    return row < 0 ? '–' : measureText(measure, totals.get(row, column), totals.isWithheld(row, column));
  };
  const visitors = value('visitors', 'current');
  const length = value('median_visit_seconds', 'current');
  const figures = [figure({
    id: 'totals', title: t('fig.totals'), view: 'overview', tableId: 'totals', table: totals, filter, extra: cards,
    description: t('desc.totals', {
      visitors: visitors == null ? '<11' : count(visitors),
      change: changeText(visitors, value('visitors', 'previous')),
      length: length == null ? '–' : duration(length),
    }),
    format: (row, column, cell, withheld) =>
      (column === 'current' || column === 'previous' ? measureText(totals.get(row, 'measure'), cell, withheld) : null),
  })];

  const days = byDay.rows.map((_, row) => byDay.get(row, 'day'));
  const busiest = largest(byDay, 'visitors');
  figures.push(figure({
    id: 'visitors-by-day', title: t('fig.visitors_by_day'), view: 'overview', tableId: 'by_day', table: byDay, filter,
    columns: ['day', 'visitors', 'previous_visitors'],
    description: busiest
      ? t('desc.visitors_by_day', { day: byDay.get(busiest.row, 'day'), count: count(busiest.value), total: totalText('visitors', 'current'), previous: totalText('visitors', 'previous') })
      : t('desc.no_counts'),
    option: {
      grid: { ...grid, top: 48 }, tooltip, legend,
      xAxis: categoryAxis(days), yAxis: valueAxis(),
      series: [
        { type: 'line', name: t('series.current'), data: series(byDay, 'visitors'), symbolSize: 6, lineStyle: { width: 3 } },
        { type: 'line', name: t('series.previous'), data: series(byDay, 'previous_visitors'), symbol: 'none', color: PREVIOUS, lineStyle: { type: 'dashed', width: 2 } },
      ],
    },
  }));
  const opened = largest(byDay, 'exhibits_opened');
  figures.push(figure({
    id: 'opened-by-day', title: t('fig.opened_by_day'), view: 'overview', tableId: 'by_day', table: byDay, filter,
    columns: ['day', 'exhibits_opened'],
    description: opened ? t('desc.opened_by_day', { total: totalText('exhibits_opened', 'current'), day: byDay.get(opened.row, 'day'), count: count(opened.value) }) : t('desc.no_counts'),
    option: {
      grid, tooltip, xAxis: categoryAxis(days), yAxis: valueAxis(),
      series: [{ type: 'bar', name: name('exhibits_opened'), data: series(byDay, 'exhibits_opened'), color: PALETTE[2] }],
    },
  }));
  const low = smallest(byDay, 'median_visit_seconds');
  const high = largest(byDay, 'median_visit_seconds');
  figures.push(figure({
    id: 'visit-length-by-day', title: t('fig.visit_length_by_day'), view: 'overview', tableId: 'by_day', table: byDay, filter,
    columns: ['day', 'median_visit_seconds'],
    description: low ? t('desc.visit_length_by_day', { low: duration(low.value), high: duration(high.value) }) : t('desc.no_counts'),
    option: {
      grid, tooltip: { ...tooltip, valueFormatter: (seconds) => (seconds == null ? '–' : duration(seconds)) },
      xAxis: categoryAxis(days), yAxis: { ...valueAxis(durationTick), minInterval: 60 },
      series: [{ type: 'line', name: name('median_visit_seconds'), data: series(byDay, 'median_visit_seconds'), color: PALETTE[1], symbolSize: 6, connectNulls: false }],
    },
  }));
  return figures;
}

// The heatmap's table as it is drawn: a row per weekday, a column per hour (the CSV keeps one
// row per cell). 7 rows read far better than 168, aloud and on paper.
function weekByHour(heat, title) {
  const table = element('table', { className: 'data week-by-hour' });
  table.append(element('caption', { text: title }));
  const head = element('tr', {}, element('th', { scope: 'col', text: name('weekday') }));
  for (let hour = 0; hour < 24; hour += 1) {
    head.append(element('th', { scope: 'col', className: 'number', 'aria-label': hourRange(hour), text: String(hour).padStart(2, '0') }));
  }
  const body = element('tbody');
  for (let weekday = 1; weekday <= 7; weekday += 1) {
    const line = element('tr', {}, element('th', { scope: 'row', text: weekdayName(weekday) }));
    for (let hour = 0; hour < 24; hour += 1) {
      const row = heat.rows.findIndex((cells) => cells[heat.column('weekday')] === weekday && cells[heat.column('hour')] === hour);
      const withheld = row >= 0 && heat.isWithheld(row, 'visitors');
      const cell = element('td', { className: withheld ? 'number withheld' : 'number',
        text: row < 0 ? '–' : withheld ? WITHHELD : cellText('visitors', heat.get(row, 'visitors'), false) });
      line.append(cell);
    }
    body.append(line);
  }
  table.append(element('thead', {}, head), body);
  return table;
}

function when(data, filter) {
  const heat = new Table(data.tables.heatmap);
  const calendar = new Table(data.tables.calendar);
  const dayparts = new Table(data.tables.dayparts);
  const figures = [];

  const cells = heat.rows.map((_, row) => [heat.get(row, 'hour'), heat.get(row, 'weekday') - 1,
    heat.isWithheld(row, 'visitors') || heat.get(row, 'visitors') == null ? '-' : heat.get(row, 'visitors')]);
  const peak = largest(heat, 'visitors');
  const quiet = known(heat, 'visitors').filter((item) => item.value > 0).reduce((best, item) => (!best || item.value < best.value ? item : best), null);
  const hours = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));
  figures.push(figure({
    id: 'heatmap', title: t('fig.heatmap'), view: 'when', tableId: 'heatmap', table: heat, filter, height: 380,
    description: peak && peak.value > 0
      ? t('desc.heatmap', {
        weekday: weekdayName(heat.get(peak.row, 'weekday')), hour: hourRange(heat.get(peak.row, 'hour')), count: count(peak.value),
        quiet_weekday: weekdayName(heat.get(quiet.row, 'weekday')), quiet_hour: hourRange(heat.get(quiet.row, 'hour')),
      })
      : t('desc.no_counts'),
    option: {
      grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
      tooltip: { confine: true, formatter: ({ value }) => `${weekdayName(value[1] + 1)} ${hourRange(value[0])}: ${value[2] === '-' ? '<11' : count(value[2])}` },
      xAxis: { type: 'category', data: hours, splitArea: { show: true }, name: name('hour'), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'category', data: [1, 2, 3, 4, 5, 6, 7].map(weekdayShort), inverse: true, splitArea: { show: true } },
      legend: { bottom: 0, right: 0, data: [WITHHELD] },
      visualMap: {
        min: 0, max: Math.max(1, peak?.value ?? 1), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, seriesIndex: 0,
        itemHeight: 160, inRange: { color: ['#f1f6fc', '#7fa9d6', '#1d5fa8', '#0b2a4f'] }, text: [count(Math.max(1, peak?.value ?? 1)), '0'],
      },
      series: [
        { type: 'heatmap', name: name('visitors'), data: cells, itemStyle: { borderColor: '#ffffff', borderWidth: 1 } },
        // Withheld cells in grey, so they read as "some, but fewer than 11", not as none.
        { type: 'heatmap', name: WITHHELD, data: cells.filter(([, , visitors]) => visitors === '-').map(([hour, day]) => [hour, day, 0]),
          itemStyle: { color: '#b3b3b3', borderColor: '#ffffff', borderWidth: 1 }, tooltip: { formatter: ({ value }) => `${weekdayName(value[1] + 1)} ${hourRange(value[0])}: ${WITHHELD}` } },
      ],
    },
    tableElement: weekByHour(heat, t('fig.heatmap')),
  }));

  figures.push(calendarFigure(calendar, filter));

  const parts = dayparts.rows.map((_, row) => valueName(dayparts.get(row, 'daypart')));
  const topPart = (column) => {
    const top = largest(dayparts, column);
    return top ? valueName(dayparts.get(top.row, 'daypart')) : '–';
  };
  figures.push(figure({
    id: 'dayparts', title: t('fig.dayparts'), view: 'when', tableId: 'dayparts', table: dayparts, filter,
    description: largest(dayparts, 'weekday_visitors') || largest(dayparts, 'weekend_visitors')
      ? t('desc.dayparts', { weekday_part: topPart('weekday_visitors'), weekend_part: topPart('weekend_visitors') })
      : t('desc.no_counts'),
    option: {
      grid: { ...grid, top: 48 }, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } }, legend,
      xAxis: categoryAxis(parts), yAxis: valueAxis(),
      series: [
        { type: 'bar', name: t('series.weekday_visitors'), data: series(dayparts, 'weekday_visitors') },
        { type: 'bar', name: t('series.weekend_visitors'), data: series(dayparts, 'weekend_visitors') },
      ],
    },
  }));
  return figures;
}

// The calendar of the whole year(s) the period falls in, one calendar a year, so weekday, weekend
// and holiday patterns read across the year whatever the period; the period's own days are
// coloured (withheld ones grey, as in the heatmap), the rest of the year is left pale and counted
// nowhere. The hub answers the period's days only: the table and the CSV hold just those.
function calendarFigure(calendar, filter) {
  const days = calendar.rows.map((_, row) => calendar.get(row, 'day'));
  const busiest = largest(calendar, 'visitors');
  const average = (kind) => {
    const items = known(calendar, 'visitors').filter(({ row }) => calendar.get(row, 'day_kind') === kind);
    return items.length ? count(Math.round(items.reduce((total, item) => total + item.value, 0) / items.length)) : '–';
  };
  const calendarMax = Math.max(1, busiest?.value ?? 1);
  const firstYear = Number((days[0] ?? filter.from).slice(0, 4));
  const lastYear = Number((days[days.length - 1] ?? filter.to).slice(0, 4));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, index) => firstYear + index);
  const yearHeight = 150;  // 7 rows of 16 px and the month names above them
  const inYear = (year) => calendar.rows.map((_, row) => row).filter((row) => calendar.get(row, 'day').startsWith(`${year}-`));
  const withheld = (row) => calendar.isWithheld(row, 'visitors') || calendar.get(row, 'visitors') == null;
  const dayTooltip = { formatter: ({ value }) => `${value[0]}: ${value[1] === '-' || value[1] == null ? WITHHELD : count(value[1])}` };
  const description = busiest && busiest.value > 0
    ? t('desc.calendar', { day: calendar.get(busiest.row, 'day'), kind: valueName(calendar.get(busiest.row, 'day_kind')), count: count(busiest.value),
      weekday: average('weekday'), weekend: average('weekend'), holiday: average('holiday') })
    : t('desc.no_counts');
  return figure({
    id: 'calendar', title: t('fig.calendar'), view: 'when', tableId: 'calendar', table: calendar, filter,
    height: 48 + (years.length - 1) * yearHeight + 112 + 60,
    description: `${description} ${t('desc.calendar_outside', { from: filter.from, to: filter.to })}`,
    option: {
      tooltip: { confine: true, ...dayTooltip },
      visualMap: {
        min: 0, max: calendarMax, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160, seriesIndex: years.map((_, index) => index),
        inRange: { color: ['#dde9f6', '#7fa9d6', '#1d5fa8', '#0b2a4f'] }, text: [count(calendarMax), '0'],
      },
      legend: { top: 0, right: 0, data: [t('series.holiday'), WITHHELD, t('series.outside')] },
      calendar: years.map((year, index) => ({
        top: 48 + index * yearHeight, left: 64, right: 16, cellSize: ['auto', 16], range: String(year),
        dayLabel: { firstDay: 1, nameMap: language() === 'zh-CN' ? 'ZH' : 'EN', fontSize: 11 },
        monthLabel: { nameMap: language() === 'zh-CN' ? 'ZH' : 'EN', fontSize: 11 },
        yearLabel: { show: true, margin: 30, fontSize: 14, color: '#595959' },
        itemStyle: { borderColor: '#ffffff', borderWidth: 2, color: OUTSIDE }, splitLine: { lineStyle: { color: '#8c8c8c' } },
      })),
      series: [
        ...years.map((year, index) => ({
          type: 'heatmap', coordinateSystem: 'calendar', calendarIndex: index, name: name('visitors'),
          data: inYear(year).filter((row) => !withheld(row)).map((row) => [calendar.get(row, 'day'), calendar.get(row, 'visitors')]),
        })),
        // Withheld days in grey, so they read as "some, but fewer than 11", not as none.
        ...years.map((year, index) => ({
          type: 'heatmap', coordinateSystem: 'calendar', calendarIndex: index, name: WITHHELD, color: '#b3b3b3',
          itemStyle: { color: '#b3b3b3' }, tooltip: { formatter: ({ value }) => `${value[0]}: ${WITHHELD}` },
          data: inYear(year).filter(withheld).map((row) => [calendar.get(row, 'day'), 0]),
        })),
        // Only the legend's swatch: the days outside the period are the calendar's own colour.
        { type: 'scatter', coordinateSystem: 'calendar', name: t('series.outside'), symbol: 'rect', color: OUTSIDE, data: [] },
        ...years.map((year, index) => ({
          type: 'scatter', coordinateSystem: 'calendar', calendarIndex: index, name: t('series.holiday'), symbol: 'diamond', symbolSize: 7, color: '#b4481b',
          data: inYear(year).filter((row) => calendar.get(row, 'day_kind') === 'holiday').map((row) => [calendar.get(row, 'day'), calendar.get(row, 'visitors')]),
        })),
      ],
    },
  });
}

// The funnel: visitors of the period, those who opened an exhibit, started a poem, heard one to
// its end. Each step's share is of the first step's visitors.
function funnelFigure(funnel, filter) {
  const reached = (step) => {
    const row = funnel.rows.findIndex((cells) => cells[funnel.column('step')] === step);
    return row < 0 || funnel.isWithheld(row, 'visitors') ? null : funnel.get(row, 'visitors');
  };
  const visited = reached('visited');
  const text = (step) => {
    const value = reached(step);
    if (value == null) return WITHHELD;
    return visited ? `${count(value)} (${percent(value / visited)})` : count(value);
  };
  const steps = funnel.rows.map((_, row) => funnel.get(row, 'step'));
  return figure({
    id: 'funnel', title: t('fig.funnel'), view: 'what', tableId: 'funnel', table: funnel, filter, height: 300,
    description: visited
      ? t('desc.funnel', { visited: count(visited), opened: text('opened_exhibit'), played: text('played_poem'), completed: text('completed_poem') })
      : t('desc.no_counts'),
    option: {
      tooltip: { trigger: 'item', confine: true, formatter: ({ name: step, data }) => `${step}: ${data.withheld ? WITHHELD : count(data.value)}` },
      series: [{
        // Names to the right, where a narrow step still has room for them (cut to fit a phone).
        type: 'funnel', name: name('visitors'), sort: 'none', left: 8, width: '52%', top: 8, bottom: 8, minSize: '6%', gap: 2,
        label: { position: 'right', color: '#1a1a1a', lineHeight: 16, width: Math.min(240, 0.4 * (window.innerWidth - 64)), overflow: 'break',
                 formatter: ({ data }) => `${data.name}\n${data.withheld ? WITHHELD : text(data.step)}` },
        labelLine: { show: true, length: 12, lineStyle: { color: '#8c8c8c' } },
        // A withheld step is drawn as narrow as the last one shown, in grey, and says "<11".
        data: steps.map((step, index) => {
          const value = reached(step);
          return value == null
            ? { name: valueName(step), step, value: 0, withheld: true, itemStyle: { color: '#767676' } }
            : { name: valueName(step), step, value, itemStyle: { color: PALETTE[index] } };
        }),
      }],
    },
  });
}

// An exhibit's label: its id, with its scene's name when the view holds several scenes.
function exhibitLabel(table, row, severalScenes) {
  const exhibit = table.get(row, 'exhibit');
  return severalScenes ? `${packageName(table.get(row, 'package'))} · ${exhibit}` : exhibit;
}

function what(data, filter) {
  const exhibits = new Table(data.tables.exhibits);
  const scenes = new Table(data.tables.scenes);
  const severalScenes = new Set(exhibits.rows.map((_, row) => exhibits.get(row, 'package'))).size > 1;
  const byColumn = (column) => exhibits.rows.map((_, row) => row)
    .sort((a, b) => (exhibits.isWithheld(b, column) ? -1 : exhibits.get(b, column) ?? -1) - (exhibits.isWithheld(a, column) ? -1 : exhibits.get(a, column) ?? -1))
    .slice(0, 20);
  const barsOf = (rows, column, extra = {}) => ({
    grid: { ...labelledBars, top: 32 }, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
    yAxis: categoryAxis(rows.map((row) => exhibitLabel(exhibits, row, severalScenes)), { inverse: true }),
    ...extra,
  });
  const figures = [];

  const attractionRows = byColumn('attraction_power');
  const attractive = largest(exhibits, 'attraction_power');
  figures.push(figure({
    id: 'attraction', title: t('fig.attraction'), view: 'what', tableId: 'exhibits', table: exhibits, filter,
    height: Math.max(200, 30 * attractionRows.length + 70),
    columns: ['exhibit', 'package', 'visitors', 'attraction_power', 'median_dwell_seconds', 'needed_seconds', 'holding_power', 'median_page_depth'],
    description: attractive
      ? t('desc.attraction', { exhibit: exhibitLabel(exhibits, attractive.row, severalScenes), share: percent(attractive.value) })
      : t('desc.no_counts'),
    option: barsOf(attractionRows, 'attraction_power', {
      xAxis: { ...valueAxis((share) => percent(share)), max: 1 },
      series: [{ type: 'bar', name: name('attraction_power'), color: PALETTE[0],
                 data: attractionRows.map((row) => (exhibits.isWithheld(row, 'attraction_power') ? null : exhibits.get(row, 'attraction_power'))),
                 label: { show: true, position: 'right', formatter: ({ value }) => (value == null ? '' : percent(value)) } }],
    }),
  }));

  const holdingRows = byColumn('holding_power');
  const held = largest(exhibits, 'holding_power');
  figures.push(figure({
    id: 'holding', title: t('fig.holding'), view: 'what', tableId: 'exhibits', table: exhibits, filter,
    height: Math.max(200, 30 * holdingRows.length + 70),
    columns: ['exhibit', 'package', 'median_dwell_seconds', 'needed_seconds', 'holding_power'],
    description: held ? t('desc.holding', { exhibit: exhibitLabel(exhibits, held.row, severalScenes), ratio: decimal(held.value, 2) }) : t('desc.no_counts'),
    option: barsOf(holdingRows, 'holding_power', {
      xAxis: valueAxis((ratio) => decimal(ratio, 1)),
      series: [{ type: 'bar', name: name('holding_power'), color: PALETTE[2],
                 data: holdingRows.map((row) => (exhibits.isWithheld(row, 'holding_power') ? null : exhibits.get(row, 'holding_power'))),
                 label: { show: true, position: 'right', formatter: ({ value }) => (value == null ? '' : decimal(value, 2)) },
                 markLine: { symbol: 'none', silent: true, lineStyle: { color: '#1a1a1a', type: 'dashed' }, label: { position: 'start', formatter: t('series.holding_target') }, data: [{ xAxis: 1 }] } }],
    }),
  }));

  const poemRows = exhibits.rows.map((_, row) => row).filter((row) =>
    ['poems_completed', 'poems_abandoned'].some((column) => exhibits.isWithheld(row, column) || (exhibits.get(row, column) ?? 0) > 0));
  if (poemRows.length > 0) {
    const inPoems = new Set(poemRows);
    figures.push(figure({
      id: 'poems', title: t('fig.poems'), view: 'what', tableId: 'exhibits', table: exhibits, filter,
      height: Math.max(180, 34 * poemRows.length + 80), rowFilter: (row) => inPoems.has(row),
      columns: ['exhibit', 'package', 'poems_completed', 'poems_abandoned'],
      description: t('desc.poems', { completed: count(sum(exhibits, 'poems_completed')), abandoned: count(sum(exhibits, 'poems_abandoned')) }),
      option: {
        grid: { ...grid, top: 48 }, legend, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
        xAxis: valueAxis(), yAxis: categoryAxis(poemRows.map((row) => exhibitLabel(exhibits, row, severalScenes)), { inverse: true }),
        series: ['poems_completed', 'poems_abandoned'].map((column, index) => ({
          type: 'bar', stack: 'poems', name: name(column), color: index === 0 ? PALETTE[2] : PALETTE[1],
          data: poemRows.map((row) => (exhibits.isWithheld(row, column) ? null : exhibits.get(row, column))),
        })),
      },
    }));
  }

  figures.push(funnelFigure(new Table(data.tables.funnel), filter));

  const diligent = largest(scenes, 'diligent_share');
  const sceneNames = scenes.rows.map((_, row) => packageName(scenes.get(row, 'package')));
  figures.push(figure({
    id: 'scenes', title: t('fig.scenes'), view: 'what', tableId: 'scenes', table: scenes, filter,
    height: Math.max(220, 44 * scenes.size + 90),
    description: diligent
      ? t('desc.scenes', { scene: packageName(scenes.get(diligent.row, 'package')), diligent: percent(diligent.value),
        sweep: cellText('sweep_rate_index', scenes.get(diligent.row, 'sweep_rate_index'), scenes.isWithheld(diligent.row, 'sweep_rate_index')) })
      : t('desc.no_counts'),
    option: {
      grid: { ...grid, top: 80, bottom: 36 }, legend, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
      yAxis: categoryAxis(sceneNames, { inverse: true }),
      xAxis: [{ ...valueAxis((share) => percent(share)), max: 1, name: name('diligent_share'), nameLocation: 'middle', nameGap: 28 },
              { ...valueAxis((rate) => decimal(rate, 1)), name: name('sweep_rate_index'), nameLocation: 'middle', nameGap: 28, splitLine: { show: false } }],
      series: [
        { type: 'bar', name: name('diligent_share'), xAxisIndex: 0, color: PALETTE[3], data: series(scenes, 'diligent_share') },
        { type: 'bar', name: name('sweep_rate_index'), xAxisIndex: 1, color: PALETTE[4], data: series(scenes, 'sweep_rate_index') },
      ],
    },
  }));
  return figures;
}

function how(data, filter) {
  return [
    shareFigure({ id: 'languages', titleKey: 'fig.languages', view: 'how', tableId: 'languages', data, filter, labelColumn: 'language', label: languageName }),
    shareFigure({ id: 'accessibility', titleKey: 'fig.accessibility', view: 'how', tableId: 'accessibility', data, filter, labelColumn: 'feature', label: valueName, descriptionKey: 'desc.accessibility' }),
    shareFigure({ id: 'devices', titleKey: 'fig.devices', view: 'how', tableId: 'devices', data, filter, labelColumn: 'device_kind', label: valueName }),
    shareFigure({ id: 'inputs', titleKey: 'fig.inputs', view: 'how', tableId: 'inputs', data, filter, labelColumn: 'input', label: valueName }),
  ];
}

function campaigns(data, filter) {
  const branches = new Table(data.tables.branches);
  const byDay = new Table(data.tables.by_day);
  const order = branches.rows.map((_, row) => row).sort((a, b) => (branches.get(b, 'visitors') ?? -1) - (branches.get(a, 'visitors') ?? -1));
  const top = largest(branches, 'visitors');
  const figures = [];
  figures.push(figure({
    id: 'branches', title: t('fig.branches'), view: 'campaigns', tableId: 'branches', table: branches, filter, open: true,
    height: Math.max(160, 28 * order.length + 40),
    extra: filter.package ? null : element('p', { className: 'note', text: t('campaigns.choose') }),
    description: top
      ? t('desc.branches', { branch: branchName(branches.get(top.row, 'branch')), count: count(top.value), branches: count(branches.size),
        length: cellText('median_visit_seconds', branches.get(top.row, 'median_visit_seconds'), branches.isWithheld(top.row, 'median_visit_seconds')) })
      : t('desc.no_counts'),
    option: {
      grid: labelledBars, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
      yAxis: categoryAxis(order.map((row) => branchName(branches.get(row, 'branch')) + (branches.isWithheld(row, 'visitors') ? ' (<11)' : '')), { inverse: true }),
      xAxis: valueAxis(),
      series: [{ type: 'bar', name: name('visitors'), data: order.map((row) => (branches.isWithheld(row, 'visitors') ? null : branches.get(row, 'visitors'))),
                 label: { show: true, position: 'right', formatter: ({ value }) => (value == null ? '' : count(value)) } }],
    },
  }));

  // One line per branch for the few branches with the most visitors; the table holds them all.
  const shown = order.slice(0, 6).map((row) => branches.get(row, 'branch'));
  const days = [...new Set(byDay.rows.map((_, row) => byDay.get(row, 'day')))].sort();
  const valueOn = new Map();
  byDay.rows.forEach((_, row) => valueOn.set(`${byDay.get(row, 'branch')}|${byDay.get(row, 'day')}`, byDay.isWithheld(row, 'visitors') ? null : byDay.get(row, 'visitors')));
  figures.push(figure({
    id: 'campaign-by-day', title: t('fig.campaign_by_day'), view: 'campaigns', tableId: 'by_day', table: byDay, filter,
    description: t('desc.campaign_by_day', { shown: count(shown.length) }),
    option: {
      grid: { ...grid, top: 56 }, legend: { ...legend, type: 'scroll' }, tooltip,
      xAxis: categoryAxis(days), yAxis: valueAxis(),
      series: shown.map((branch) => ({ type: 'line', name: branchName(branch), symbolSize: 5, data: days.map((day) => valueOn.get(`${branch}|${day}`) ?? null) })),
    },
  }));
  return figures;
}

function health(data, filter) {
  const devices = new Table(data.tables.devices);
  const rows = devices.rows.map((_, row) => row);
  const missing = (row) => devices.get(row, 'missing') ?? 0;
  const unexplained = (row) => devices.get(row, 'unexplained') ?? 0;
  const seen = (row) => Date.parse(String(devices.get(row, 'last_seen') ?? '')) || Number(devices.get(row, 'last_seen')) || 0;
  const silent = rows.reduce((best, row) => (best === null || seen(row) < seen(best) ? row : best), null);
  const worst = [...rows].sort((a, b) => missing(b) - missing(a)).slice(0, 20).filter((row) => missing(row) > 0);
  const label = (row) => `${devices.get(row, 'device')} (${branchName(devices.get(row, 'branch'))})`;
  return [figure({
    id: 'health', title: t('fig.health'), view: 'health', tableId: 'devices', table: devices, filter, open: true,
    height: Math.max(160, 30 * worst.length + 80),
    description: t('desc.health', {
      devices: count(devices.size), complete: count(rows.filter((row) => missing(row) === 0).length),
      gaps: count(rows.filter((row) => unexplained(row) > 0).length),
      device: silent === null ? '–' : devices.get(silent, 'device'),
      seen: silent === null ? '–' : cellText('last_seen', devices.get(silent, 'last_seen'), false),
    }),
    option: worst.length === 0 ? null : {
      grid: { ...grid, top: 48 }, legend, tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
      xAxis: valueAxis(), yAxis: categoryAxis(worst.map(label), { inverse: true }),
      series: [
        { type: 'bar', stack: 'missing', name: t('series.explained'), color: PALETTE[4], data: worst.map((row) => missing(row) - unexplained(row)) },
        { type: 'bar', stack: 'missing', name: t('series.unexplained'), color: PALETTE[1], data: worst.map(unexplained) },
      ],
    },
  })];
}

const BUILDERS = { overview, when, what, how, campaigns, health };

// The figures of a view's answer, in reading order.
export const buildView = (viewName, data, filter) => BUILDERS[viewName](data, filter);
