// A list the admin API serves newest first, one page at a time (GET path?limit=25&cursor=...), as a table
// with Previous/Next. The audit log and the leak records are such lists.
import { api } from './api.js';
import { clear, h } from './dom.js';

/**
 * Renders into main: a heading, an optional introduction, the table and the pager.
 * spec: { title, intro?, path, id (prefix of the element ids), columns: [header...], row: (item) => [cell...],
 *         empty: text shown for an empty list }
 */
export async function pagedTable(main, spec) {
  const cursors = [null];
  const table = h('tbody');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const prev = h('button', { type: 'button', id: `${spec.id}-prev` }, 'Previous');
  const next = h('button', { type: 'button', id: `${spec.id}-next` }, 'Next');
  const pageLabel = h('span', { class: 'page-label' });
  let page = 0;
  let nextCursor = null;

  async function load() {
    error.textContent = '';
    const cursor = cursors[page];
    try {
      const answer = await api('GET', `${spec.path}?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      nextCursor = answer.nextCursor;
      clear(table, answer.data.map((item) => h('tr', {}, ...spec.row(item))));
      if (!answer.data.length) {
        table.append(h('tr', {}, h('td', { colspan: spec.columns.length }, spec.empty)));
      }
      prev.disabled = page === 0;
      next.disabled = !nextCursor;
      pageLabel.textContent = `Page ${page + 1}`;
    } catch (e) {
      error.textContent = e.message;
    }
  }
  prev.addEventListener('click', () => { page -= 1; load(); });
  next.addEventListener('click', () => { cursors[page + 1] = nextCursor; page += 1; load(); });

  clear(main, h('h1', {}, spec.title), spec.intro ? h('p', { class: 'hint' }, spec.intro) : null,
    h('div', { class: 'table-wrap' }, h('table', { id: `${spec.id}-table` },
      h('thead', {}, h('tr', {}, spec.columns.map((t) => h('th', { scope: 'col' }, t)))),
      table)),
    error, h('div', { class: 'pager' }, prev, pageLabel, next));
  await load();
}
