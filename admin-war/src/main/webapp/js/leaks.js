// Leaked keys as GitHub secret scanning reported them, newest first: where each was found and what Gatekey
// did. A record names the key by its id, never by the key.
import { h, when } from './dom.js';
import { pagedTable } from './paged.js';

const ACTIONS = { notify: 'recorded', revoke: 'revoked' };

export function leaksView(main) {
  return pagedTable(main, {
    title: 'Leaked keys',
    intro: 'Active keys that GitHub secret scanning found in public places. Roll or revoke the ones still active.',
    path: '/leaks',
    id: 'leaks',
    columns: ['Found', 'Key', 'Consumer', 'Where', 'Source', 'Gatekey'],
    row: (l) => [h('td', {}, when(l.foundOn)),
      h('td', {}, h('code', {}, l.keyId)),
      h('td', {}, h('a', { href: `#/buckets/${encodeURIComponent(l.bucket)}/consumers/${encodeURIComponent(l.consumer)}` },
        `${l.bucket} / ${l.consumer}`)),
      h('td', { class: 'wrap' }, /^https:\/\//.test(l.url || '')
        ? h('a', { href: l.url, rel: 'noopener noreferrer', target: '_blank' }, l.url) : (l.url || '')),
      h('td', {}, l.source || ''),
      h('td', {}, ACTIONS[l.action] || l.action)],
    empty: 'No leaks reported.',
  });
}
