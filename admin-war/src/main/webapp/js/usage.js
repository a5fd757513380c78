// Usage analytics: a consumer's requests over time stacked by outcome (24 h / 7 d / 30 d), and a bucket's top
// consumers. Drawn as SVG from the admin API's usage routes, each with a table of the same numbers.
import { api, enc } from './api.js';
import { clear, h } from './dom.js';
import { horizontalBars, legend, outcomeOrder, stackedColumns } from './chart.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** The ranges of the switch: how many periods of which granularity, ending with the current one. */
const RANGES = [
  { id: '24h', label: '24 h', granularity: 'hour', periods: 24, size: HOUR },
  { id: '7d', label: '7 d', granularity: 'day', periods: 7, size: DAY },
  { id: '30d', label: '30 d', granularity: 'day', periods: 30, size: DAY },
];

/** An instant as the API writes it: 2026-05-01T14:00:00Z. */
function iso(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The periods of a range, oldest first: their ISO starts, ending with the one now is in. */
function periodsOf(range, now = Date.now()) {
  const end = Math.floor(now / range.size) * range.size + range.size;
  return Array.from({ length: range.periods }, (_, i) => iso(end - (range.periods - i) * range.size));
}

function periodLabel(range) {
  return (start, full) => {
    if (range.granularity === 'hour') {
      return full ? `${start.slice(0, 10)} ${start.slice(11, 16)} UTC` : start.slice(11, 16);
    }
    return full ? start.slice(0, 10) : start.slice(5, 10);
  };
}

/** The 24 h / 7 d / 30 d switch: buttons with aria-pressed. */
function rangeSwitch(id, onPick) {
  const buttons = RANGES.map((r) => h('button', { type: 'button', id: `${id}-range-${r.id}`, 'aria-pressed': 'false',
    onclick: () => pick(r) }, r.label));
  function pick(range) {
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === range)));
    onPick(range);
  }
  return { element: h('div', { class: 'switch', role: 'group', 'aria-label': 'Range' }, buttons), pick };
}

/** Redraws {@code draw(width)} into {@code holder} whenever its width changes noticeably (nothing before data). */
function responsive(holder, draw) {
  let drawn = 0;
  const redraw = () => {
    const width = Math.floor(holder.clientWidth);
    if (width > 0 && Math.abs(width - drawn) > 8) {
      const drawing = draw(width);
      if (drawing) {
        drawn = width;
        clear(holder, drawing);
      }
    }
  };
  new ResizeObserver(redraw).observe(holder);
  return { draw: () => { drawn = 0; redraw(); } };
}

/** The consumer page's panel: requests over time, stacked by outcome. */
export function consumerUsagePanel(bucket, consumer) {
  const base = `/buckets/${enc(bucket)}/consumers/${enc(consumer)}/usage`;
  const holder = h('div', { class: 'chart-holder', id: 'usage-chart-holder' });
  const summary = h('p', { class: 'hint', id: 'usage-summary', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'usage-error' });
  const legendHolder = h('div');
  const tableHolder = h('div', { class: 'table-wrap' });
  let state = null;
  let loads = 0;
  const chart = responsive(holder, (width) => state && stackedColumns({ id: 'usage-chart', width,
    title: `Requests of ${consumer} per ${state.range.granularity}, by outcome, last ${state.range.label}`,
    periods: state.periods, counts: state.counts, outcomes: state.outcomes, label: periodLabel(state.range) }));

  async function load(range) {
    const mine = ++loads;
    error.textContent = '';
    const periods = periodsOf(range);
    const to = iso(Date.parse(periods[periods.length - 1]) + range.size);
    let answer;
    try {
      answer = await api('GET', `${base}?granularity=${range.granularity}&from=${periods[0]}&to=${to}`);
    } catch (e) {
      error.textContent = e.message;
      return;
    }
    if (mine !== loads) {
      return;
    }
    const counts = {};
    for (const p of answer.data) {
      const start = iso(Date.parse(p.start));
      (counts[start] = counts[start] || {})[p.outcome] = p.count;
    }
    const outcomes = [...new Set(answer.data.map((p) => p.outcome))].sort(outcomeOrder);
    state = { range, periods, counts, outcomes };
    // what was asked, for whoever checks the drawing against the API (the browser test)
    Object.assign(holder.dataset, { granularity: range.granularity, from: periods[0], to });
    const total = answer.data.reduce((sum, p) => sum + p.count, 0);
    const valid = answer.data.filter((p) => p.outcome === 'valid').reduce((sum, p) => sum + p.count, 0);
    summary.textContent = total ? `${total} requests in the last ${range.label}, ${valid} valid `
      + `(${((valid / total) * 100).toFixed(1)} %).` : `No requests in the last ${range.label}.`;
    clear(legendHolder, outcomes.length ? legend(outcomes) : null);
    clear(tableHolder, usageTable(state));
    chart.draw();
  }

  const range = rangeSwitch('usage', load);
  const element = h('section', { class: 'card usage', id: 'usage', 'aria-labelledby': 'usage-heading' },
    h('div', { class: 'usage-head' }, h('h2', { id: 'usage-heading' }, 'Requests'), range.element),
    summary, holder, legendHolder, error,
    h('details', { id: 'usage-table-details' }, h('summary', {}, 'The same numbers as a table'), tableHolder));
  return { element, start: () => range.pick(RANGES[0]) };
}

function usageTable({ range, periods, counts, outcomes }) {
  const label = periodLabel(range);
  const rows = periods.filter((p) => counts[p]).map((p) => h('tr', { 'data-start': p },
    h('th', { scope: 'row' }, label(p, true)),
    outcomes.map((o) => h('td', { class: 'num', 'data-outcome': o }, String((counts[p] || {})[o] || 0))),
    h('td', { class: 'num' }, String(outcomes.reduce((sum, o) => sum + ((counts[p] || {})[o] || 0), 0)))));
  return h('table', { id: 'usage-table' },
    h('caption', { class: 'sr-only' }, `Requests per ${range.granularity} and outcome`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, range.granularity === 'hour' ? 'Hour' : 'Day'),
      outcomes.map((o) => h('th', { scope: 'col', class: 'num' }, o.replace(/_/g, ' '))),
      h('th', { scope: 'col', class: 'num' }, 'Total'))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: outcomes.length + 2 }, 'No requests.'))));
}

/** The bucket page's panel: consumers with the most valid requests. */
export function topConsumersPanel(bucket) {
  const holder = h('div', { class: 'chart-holder', id: 'top-chart-holder' });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'top-error' });
  const tableHolder = h('div', { class: 'table-wrap' });
  let rows = null;
  let label = '';
  let loads = 0;
  const chart = responsive(holder, (width) => rows && (rows.length
    ? horizontalBars({ id: 'top-chart', width, title: `Consumers of ${bucket} by valid requests, last ${label}`, rows })
    : h('p', { class: 'muted', id: 'top-empty' }, `No valid requests in the last ${label}.`)));

  async function load(range) {
    const mine = ++loads;
    error.textContent = '';
    const periods = periodsOf(range);
    const to = iso(Date.parse(periods[periods.length - 1]) + range.size);
    let answer;
    try {
      answer = await api('GET', `/buckets/${enc(bucket)}/usage/top?limit=10&from=${periods[0]}&to=${to}`);
    } catch (e) {
      error.textContent = e.message;
      return;
    }
    if (mine !== loads) {
      return;
    }
    rows = answer.data.map((c) => ({ name: c.consumer, count: c.count }));
    Object.assign(holder.dataset, { from: periods[0], to });
    label = range.label;
    clear(tableHolder, h('table', { id: 'top-table' },
      h('caption', { class: 'sr-only' }, 'Top consumers by valid requests'),
      h('thead', {}, h('tr', {}, ['Rank', 'Consumer', 'Valid requests'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows.map((r, i) => h('tr', { 'data-consumer': r.name },
        h('td', {}, String(i + 1)),
        h('td', {}, h('a', { href: `#/buckets/${enc(bucket)}/consumers/${enc(r.name)}` }, r.name)),
        h('td', { class: 'num', title: String(r.count) }, String(r.count))))
        : h('tr', {}, h('td', { colspan: 3 }, 'No valid requests.')))));
    chart.draw();
  }

  const range = rangeSwitch('top', load);
  const element = h('section', { class: 'card usage', id: 'top-consumers', 'aria-labelledby': 'top-heading' },
    h('div', { class: 'usage-head' }, h('h2', { id: 'top-heading' }, 'Top consumers'), range.element),
    holder, error,
    h('details', { id: 'top-table-details' }, h('summary', {}, 'The same numbers as a table'), tableHolder));
  return { element, start: () => range.pick(RANGES[2]) };
}
