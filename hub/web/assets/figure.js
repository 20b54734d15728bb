// A figure: a heading, a sentence that says what the data shows, an ECharts chart (with `aria`
// on, described by that sentence), the same data as a real table, and a link to the hub's CSV of
// that table. The chart, the table and the CSV all come from one table of the hub's answer.
import { csvUrl } from './api.js';
import { cellText, isNumeric, MISSING, WITHHELD } from './format.js';
import { name, t } from './i18n.js';

// Colours with at least 3:1 against white (WCAG 1.4.11) and apart from one another in hue and
// lightness, so series stay apart for colour-blind readers too; the previous period is grey.
export const PALETTE = ['#1d5fa8', '#b4481b', '#2d7a3a', '#7a3f9d', '#8a6a00', '#0f7c86', '#b0306a', '#5b5b5b'];
export const PREVIOUS = '#767676';

const charts = new Set();
let resizeWatch = null;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}
export { element };

// The table alternative: a caption, column headers, and the first column as row headers.
// `format(row, column, value, withheld)` may say how a cell reads where the column alone does not.
export function dataTable(table, { title, columns, rowFilter, format } = {}) {
  const shown = columns ?? table.columns;
  const node = element('table', { className: 'data' });
  node.append(element('caption', { text: title }));
  const head = element('tr');
  for (const column of shown) {
    head.append(element('th', { scope: 'col', className: isNumeric(column) ? 'number' : null, text: name(column) }));
  }
  node.append(element('thead', {}, head));
  const body = element('tbody');
  table.rows.forEach((_, row) => {
    if (rowFilter && !rowFilter(row)) return;
    const line = element('tr');
    shown.forEach((column, index) => {
      const withheld = table.isWithheld(row, column);
      const value = table.get(row, column);
      const text = format?.(row, column, value, withheld) ?? cellText(column, value, withheld);
      const cell = element(index === 0 ? 'th' : 'td', {
        scope: index === 0 ? 'row' : null,
        className: [isNumeric(column) ? 'number' : '', withheld ? 'withheld' : ''].join(' ').trim() || null,
        text,
      });
      if (withheld) cell.append(element('span', { className: 'visually-hidden', text: ` (${t('cell.withheld')})` }));
      line.append(cell);
    });
    body.append(line);
  });
  node.append(body);
  return node;
}

// Notes under a table: what "<11" and "–" mean, when it holds any.
function tableNotes(table) {
  const notes = [];
  if (table.withheld.size > 0) notes.push(element('p', { className: 'note withheld-note', text: t('figure.withheld') }));
  const anyMissing = table.rows.some((cells, row) =>
    cells.some((value, column) => value === null && !table.withheld.has(`${row},${column}`)));
  if (anyMissing) notes.push(element('p', { className: 'note', text: t('figure.missing') }));
  return notes;
}

// Builds the figure's elements; the chart is drawn by mount() once the figure is in the page
// (ECharts measures its container). `option` may be null for a figure that is only a table.
export function figure({ id, title, description, view, tableId, table, filter, option, columns, open = false,
                         height = 320, extra = null, rowFilter = null, format = null, tableElement = null }) {
  const headingId = `fig-${id}-title`;
  const section = element('section', { className: 'figure', id: `fig-${id}`, 'aria-labelledby': headingId, 'data-table': tableId });
  section.append(element('h2', { id: headingId, text: title }));
  section.append(element('p', { className: 'description', id: `fig-${id}-description`, text: description }));
  if (extra) section.append(extra);
  let chart = null;
  if (option) {
    chart = element('div', {
      className: 'chart', role: 'img', 'aria-label': `${title}. ${description}`, 'data-chart': id,
    });
    chart.style.height = `${height}px`;
    section.append(chart);
  }
  const details = element('details', { className: 'table-alternative', open });
  details.append(element('summary', { text: table.size === 0 ? t('figure.empty') : t('figure.show_table') }));
  const scroller = element('div', { className: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('figure.table', { title }) });
  scroller.append(tableElement ?? dataTable(table, { title, columns, rowFilter, format }));
  details.append(scroller, ...tableNotes(table));
  section.append(details);
  if (tableId) {
    section.append(element('p', { className: 'export' },
      element('a', { href: csvUrl(view, tableId, filter), download: true, text: t('figure.csv', { title }) })));
  }
  section.mount = (renderer) => {
    if (!chart) return;
    const instance = window.echarts.init(chart, null, { renderer });
    // When each chart is first on screen, for bench/dashboard_heatmap.mjs and the browser's own tools.
    let marked = false;
    instance.on('finished', () => {
      if (!marked) performance.mark(`chart:${id}`);
      marked = true;
    });
    instance.setOption({
      aria: { enabled: true, label: { enabled: true, description: `${title}. ${description}` }, decal: { show: false } },
      animation: false,
      // The page's own fonts, named: a canvas takes no 'inherit' (it would keep whichever font
      // was drawn last, a calendar's large year label for instance).
      textStyle: { fontFamily: getComputedStyle(chart).fontFamily },
      color: PALETTE,
      ...option,
    });
    // ECharts writes its own label; ours (with the sentence) stays, and the chart is one image.
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', `${title}. ${description}`);
    charts.add(instance);
  };
  return section;
}

let generation = 0;  // the figures being drawn; disposeCharts starts a new one

// Draws every figure in `container`, one per frame so that the first is on screen before the
// others are laid out, and keeps the charts sized to it. SVG prints sharp; a canvas is quicker
// to draw on screen. True when all were drawn; false when the figures were replaced meanwhile.
export async function mountAll(container, renderer = 'canvas') {
  const mine = generation;
  for (const node of container.querySelectorAll('.figure')) {
    if (mine !== generation) return false;
    node.mount?.(renderer);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  }
  if (mine !== generation) return false;
  if (!resizeWatch) {
    resizeWatch = new ResizeObserver(() => { for (const instance of charts) instance.resize(); });
    resizeWatch.observe(document.body);
  }
  return true;
}

export function disposeCharts() {
  generation += 1;
  for (const instance of charts) instance.dispose();
  charts.clear();
}

// Numbers of a column for a chart: withheld and missing cells as null (drawn as gaps).
export function series(table, column) {
  return table.rows.map((_, row) => (table.isWithheld(row, column) ? null : table.get(row, column)));
}

// Shared chart pieces.
export const grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
export const tooltip = { trigger: 'axis', confine: true };
export const legend = { top: 0, left: 0 };

export { MISSING, WITHHELD };
