// The audit log, newest first, one page at a time.
import { h, when } from './dom.js';
import { pagedTable } from './paged.js';

/**
 * Text that may wrap between its words but never inside one: ids and name=value pairs stay whole, so a key id
 * can be read and searched for as it is.
 */
function words(text) {
  const parts = String(text || '').split(/\s+/).filter(Boolean);
  return parts.flatMap((part, i) => [i ? ' ' : null, h('span', { class: 'nowrap' }, part)]);
}

export function auditView(main) {
  return pagedTable(main, {
    title: 'Audit log',
    path: '/audit',
    id: 'audit',
    columns: ['Time', 'Actor', 'Action', 'Target', 'Detail'],
    row: (e) => [h('td', {}, when(e.createdOn)), h('td', {}, e.actor), h('td', {}, e.action),
      h('td', {}, e.targetType || '', e.targetType && e.targetId ? ' ' : '',
        e.targetId ? h('code', { class: 'id' }, e.targetId) : ''),
      h('td', { class: 'words' }, words(e.detail))],
    empty: 'No events.',
  });
}
