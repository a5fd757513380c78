// The audit log, newest first, one page at a time.
import { h, when } from './dom.js';
import { pagedTable } from './paged.js';

/**
 * Text that may wrap between its words, and after the "=" of a name=value pair, but never inside a name or a
 * value: a key id stays whole, to be read and searched for as it is.
 */
function words(text) {
  const parts = String(text || '').split(/\s+/).filter(Boolean);
  return parts.flatMap((part, i) => {
    const eq = part.indexOf('=');
    const pieces = eq > 0 && eq < part.length - 1
      ? [h('span', { class: 'nowrap' }, part.slice(0, eq + 1)), h('wbr'), h('span', { class: 'nowrap' }, part.slice(eq + 1))]
      : [h('span', { class: 'nowrap' }, part)];
    return [i ? ' ' : null, ...pieces];
  });
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
