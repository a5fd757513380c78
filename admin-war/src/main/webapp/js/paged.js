// Lists the admin API serves one page at a time (GET path?limit=N&cursor=...), with Previous/Next. The one pager
// of the web UI: the consumers of a bucket, the audit log and the leak records use it.
import { api } from './api.js';
import { clear, h } from './dom.js';

/**
 * Cursor paging: Previous/Next buttons and a page label, remembering the cursor of every page seen.
 * spec: { id (prefix of the button ids), error: element showing a failed load,
 *         fetch: async (cursor) => answer {data, nextCursor}, or null to leave the page as it is,
 *         show: (answer) => renders the page }
 * Returns { element, load: reloads the current page, first: goes back to the first page }.
 */
export function pager(spec) {
  const cursors = [null];
  const prev = h('button', { type: 'button', id: `${spec.id}-prev` }, 'Previous');
  const next = h('button', { type: 'button', id: `${spec.id}-next` }, 'Next');
  const pageLabel = h('span', { class: 'page-label' });
  let page = 0;
  let nextCursor = null;

  async function load() {
    spec.error.textContent = '';
    try {
      const answer = await spec.fetch(cursors[page]);
      if (!answer) {
        return;
      }
      nextCursor = answer.nextCursor;
      prev.disabled = page === 0;
      next.disabled = !nextCursor;
      pageLabel.textContent = `Page ${page + 1}`;
      spec.show(answer);
    } catch (e) {
      spec.error.textContent = e.message;
    }
  }
  prev.addEventListener('click', () => { page -= 1; load(); });
  next.addEventListener('click', () => { cursors[page + 1] = nextCursor; page += 1; load(); });

  function first() {
    cursors.length = 1;
    page = 0;
    return load();
  }
  return { element: h('div', { class: 'pager' }, prev, pageLabel, next), load, first };
}

/**
 * Renders into main a list served newest first (the audit log, the leak records): a heading, an optional
 * introduction, the table and the pager.
 * spec: { title, intro?, path, id (prefix of the element ids), columns: [header...], row: (item) => [cell...],
 *         empty: text shown for an empty list }
 */
export async function pagedTable(main, spec) {
  const table = h('tbody');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const pages = pager({
    id: spec.id,
    error,
    fetch: (cursor) => api('GET', `${spec.path}?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    show: (answer) => {
      clear(table, answer.data.map((item) => h('tr', {}, ...spec.row(item))));
      if (!answer.data.length) {
        table.append(h('tr', {}, h('td', { colspan: spec.columns.length }, spec.empty)));
      }
    },
  });

  clear(main, h('h1', {}, spec.title), spec.intro ? h('p', { class: 'hint' }, spec.intro) : null,
    h('div', { class: 'table-wrap' }, h('table', { id: `${spec.id}-table` },
      h('thead', {}, h('tr', {}, spec.columns.map((t) => h('th', { scope: 'col' }, t)))),
      table)),
    error, pages.element);
  await pages.load();
}
