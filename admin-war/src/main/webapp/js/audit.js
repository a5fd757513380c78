// The audit log, newest first, one page at a time.
import { h, when } from './dom.js';
import { pagedTable } from './paged.js';

export function auditView(main) {
  return pagedTable(main, {
    title: 'Audit log',
    path: '/audit',
    id: 'audit',
    columns: ['Time', 'Actor', 'Action', 'Target', 'Detail'],
    row: (e) => [h('td', {}, when(e.createdOn)), h('td', {}, e.actor), h('td', {}, e.action),
      h('td', { class: 'wrap' }, `${e.targetType || ''} ${e.targetId || ''}`.trim()), h('td', { class: 'wrap' }, e.detail || '')],
    empty: 'No events.',
  });
}
