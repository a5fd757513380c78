// Plain SVG charts drawn from API numbers: stacked columns over time and horizontal bars. No library, no inline
// style (the CSP forbids it): colours come from classes in app.css. Each drawn shape carries its numbers in
// data-* attributes and a <title> (a tooltip), and every chart comes with a table of the same numbers.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

/** The order outcomes are stacked in (bottom first) and listed in; others follow by name. */
export const OUTCOMES = ['valid', 'rate_limited', 'usage_exceeded', 'insufficient_scope', 'ip_denied', 'expired',
  'revoked', 'disabled', 'wrong_bucket', 'unknown', 'bad_checksum', 'malformed', 'missing', 'store_error',
  'anonymous'];

export function outcomeOrder(a, b) {
  const ia = OUTCOMES.indexOf(a);
  const ib = OUTCOMES.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) {
      el.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) {
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return el;
}

/** 1234567 → "1.2M"; small numbers as they are. */
export function compact(n) {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(n);
}

/** A round axis maximum at or above {@code max}, halved into round numbers too. */
function niceMax(max) {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((m) => m >= max);
}

/**
 * Stacked columns: one per period of {@code periods} (ISO starts), stacked by outcome from {@code counts}
 * (period → outcome → count). {@code label(period)} names a period on the axis, {@code width} is the drawing's
 * width in pixels (its container's, so text stays legible on a narrow screen).
 */
export function stackedColumns({ id, title, periods, counts, outcomes, label, width }) {
  const height = 220;
  const left = 44;
  const bottom = 26;
  const top = 10;
  const plotW = Math.max(width - left - 8, 60);
  const plotH = height - top - bottom;
  const totals = periods.map((p) => outcomes.reduce((sum, o) => sum + ((counts[p] || {})[o] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const step = plotW / Math.max(periods.length, 1);
  const barW = Math.max(step * 0.8, 1);
  const y = (v) => top + plotH - (v / max) * plotH;
  const grid = [0, 0.5, 1].map((f) => s('g', { class: 'grid-line' },
    s('line', { x1: left, x2: left + plotW, y1: y(max * f), y2: y(max * f) }),
    s('text', { x: left - 6, y: y(max * f) + 4, 'text-anchor': 'end' }, compact(max * f))));
  const columns = periods.map((p, i) => {
    let base = 0;
    const x = left + i * step + (step - barW) / 2;
    const parts = outcomes.filter((o) => (counts[p] || {})[o]).map((o) => {
      const n = counts[p][o];
      const rect = s('rect', { class: `bar o-${o}`, x: x.toFixed(1), y: y(base + n).toFixed(1), width: barW.toFixed(1),
        height: Math.max(y(base) - y(base + n), 0.5).toFixed(1), 'data-start': p, 'data-outcome': o,
        'data-count': n }, s('title', {}, `${label(p, true)}: ${n} ${o}`));
      base += n;
      return rect;
    });
    return s('g', { class: 'column', 'data-start': p, 'data-total': totals[i] }, parts);
  });
  // about one label per 70 px, always the first and the last
  const every = Math.max(1, Math.ceil(periods.length / Math.max(Math.floor(plotW / 70), 1)));
  const ticks = periods.map((p, i) => (i % every === 0
    ? s('text', { class: 'tick', x: (left + i * step + step / 2).toFixed(1), y: height - 8, 'text-anchor': 'middle' },
      label(p, false)) : null));
  return s('svg', { id, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': `${id}-title` }, s('title', { id: `${id}-title` }, title), grid, columns, ticks);
}

/** Horizontal bars, one per {name, count}, longest first as given. */
export function horizontalBars({ id, title, rows, width }) {
  const rowH = 26;
  const labelW = Math.min(160, Math.max(width * 0.35, 80));
  const countW = 56;
  const plotW = Math.max(width - labelW - countW, 40);
  const max = Math.max(1, ...rows.map((r) => r.count));
  const height = rows.length * rowH + 4;
  const bars = rows.map((r, i) => s('g', { class: 'hbar', 'data-name': r.name, 'data-count': r.count },
    s('text', { class: 'hbar-label', x: labelW - 8, y: i * rowH + 17, 'text-anchor': 'end' },
      r.name.length > 22 ? `${r.name.slice(0, 21)}…` : r.name),
    s('rect', { class: 'bar o-valid', x: labelW, y: i * rowH + 5, height: rowH - 10,
      width: Math.max((r.count / max) * plotW, 1).toFixed(1) }, s('title', {}, `${r.name}: ${r.count} valid`)),
    s('text', { class: 'hbar-count', x: (labelW + Math.max((r.count / max) * plotW, 1) + 6).toFixed(1),
      y: i * rowH + 17 }, compact(r.count))));
  return s('svg', { id, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': `${id}-title` }, s('title', { id: `${id}-title` }, title), bars);
}

/** The legend of the outcomes drawn. */
export function legend(outcomes) {
  return h('ul', { class: 'legend' }, outcomes.map((o) => h('li', {},
    s('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, s('rect', { class: `o-${o}`, width: 12, height: 12 })),
    ` ${o.replace(/_/g, ' ')}`)));
}
