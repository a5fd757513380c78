// A key's policy (issue 18): scopes, allowed IPs and credits, as shown in the keys table and as form fields.
// The client checks are the cheap ones of the API, with its field names and messages, so a refusal looks the
// same whether the browser or the server found it; whether an address is a valid CIDR is the server's call
// (one CIDR parser, the filter's), the browser only refuses characters no address has.
import { ApiError } from './api.js';
import { dateTime, field, h } from './dom.js';

const SCOPE = /^[a-z][a-z0-9:._-]{0,63}$/;
const MAX_SCOPES = 32;
const MAX_ADDRESSES = 50;
const ADDRESS_CHARACTERS = /^[0-9A-Fa-f.:]+(\/[0-9]{1,3})?$/;

function count(n) {
  return Number(n).toLocaleString('en');
}

/** "orders:read, orders:write" or "orders:read orders:write" → ['orders:read', 'orders:write'] */
export function parseScopes(text) {
  return [...new Set(String(text).split(/[\s,]+/).filter(Boolean))];
}

/** One address per line, blank lines ignored. */
export function parseAddresses(text) {
  return String(text).split('\n').map((s) => s.trim()).filter(Boolean);
}

/** "refills to 1,000 monthly on day 5" */
function refillText(refill) {
  const day = refill.interval === 'monthly' ? ` on day ${refill.refillDay || 1}` : '';
  return `refills to ${count(refill.amount)} ${refill.interval}${day}`;
}

/** The three table cells' contents of a key's policy: scopes, allowed IPs, credits. */
export function policyCells(key) {
  const scopes = key.scopes || [];
  const ips = key.allowedIps || [];
  const credits = key.credits;
  return {
    scopes: scopes.length
      ? h('span', { class: 'scopes' }, scopes.map((s) => h('code', { class: 'scope' }, s)))
      : h('span', { class: 'muted' }, 'none'),
    allowedIps: ips.length
      ? h('span', { class: 'ips' }, ips.map((ip) => h('code', { class: 'ip' }, ip)))
      : h('span', { class: 'muted' }, 'anywhere'),
    credits: credits
      ? h('span', { class: 'credits' },
        h('span', { class: 'credits-remaining' }, `${count(credits.remaining)} left`),
        credits.refill ? h('span', { class: 'credits-refill' }, refillText(credits.refill)) : null,
        credits.nextRefillAt ? h('span', { class: 'credits-next' }, 'next ', dateTime(credits.nextRefillAt)) : null)
      : h('span', { class: 'credits-unlimited' }, 'unlimited'),
  };
}

function numberInput(id, min, max) {
  return h('input', { type: 'number', id, min, max, step: 1, inputmode: 'numeric', autocomplete: 'off' });
}

/** The value of a number field: an integer, null when empty, NaN when not a whole number. */
function integerOf(input) {
  const text = input.value.trim();
  if (!text) {
    return null;
  }
  const n = Number(text);
  return Number.isInteger(n) ? n : NaN;
}

/**
 * The policy fields of a form; ids start with `prefix`. The fields are named after the API's fields
 * (`scopes`, `allowedIps`, `credits.remaining`, `credits.refill.amount`...) so its errors find them.
 * Returns { fields, element, fill(key), fillCredits(credits), read() → {value, error}, creditsChanged(value) }.
 */
export function policyFields(prefix) {
  const mode = h('select', { id: `${prefix}-credits-mode`, name: 'credits' },
    h('option', { value: 'unlimited' }, 'Unlimited'),
    h('option', { value: 'limited' }, 'Limited'));
  const interval = h('select', { id: `${prefix}-refill-interval`, name: 'refillInterval' },
    h('option', { value: '' }, 'No refill'),
    h('option', { value: 'daily' }, 'Daily (00:00 UTC)'),
    h('option', { value: 'monthly' }, 'Monthly'));
  const fields = {
    scopes: field('Scopes', h('input', { id: `${prefix}-scopes`, name: 'scopes', autocomplete: 'off', spellcheck: 'false' }),
      'Comma or space separated, e.g. "orders:read orders:write"; empty for none.'),
    allowedIps: field('Allowed IPs', h('textarea', { id: `${prefix}-allowed-ips`, name: 'allowedIps', rows: 3,
      spellcheck: 'false' }), 'One IPv4 or IPv6 CIDR per line, e.g. 203.0.113.0/24; empty for anywhere.'),
    credits: field('Credits', mode),
    'credits.remaining': field('Credits left', numberInput(`${prefix}-credits-remaining`, 0)),
    'credits.refill.interval': field('Refill', interval),
    'credits.refill.amount': field('Refill to', numberInput(`${prefix}-refill-amount`, 1),
      'Each refill sets the credits left to this.'),
    'credits.refill.refillDay': field('Refill day', numberInput(`${prefix}-refill-day`, 1, 28),
      'Day of the month, 1 to 28; empty for the 1st.'),
  };
  let original = null;

  function sync() {
    const limited = mode.value === 'limited';
    fields['credits.remaining'].wrap.hidden = !limited;
    fields['credits.refill.interval'].wrap.hidden = !limited;
    fields['credits.refill.amount'].wrap.hidden = !limited || !interval.value;
    fields['credits.refill.refillDay'].wrap.hidden = !limited || interval.value !== 'monthly';
  }
  mode.addEventListener('change', sync);
  interval.addEventListener('change', sync);
  sync();

  function set(name, value) {
    fields[name].input.value = value === undefined || value === null ? '' : String(value);
  }

  /** Fills the fields with a key's policy (or empties them for null). */
  function fill(key) {
    set('scopes', key && key.scopes ? key.scopes.join(' ') : '');
    set('allowedIps', key && key.allowedIps ? key.allowedIps.join('\n') : '');
    fillCredits(key ? key.credits : null);
  }

  /** Fills only the credit fields (after an adjustment: scopes and addresses being edited stay). */
  function fillCredits(credits) {
    const refill = credits && credits.refill;
    mode.value = credits ? 'limited' : 'unlimited';
    set('credits.remaining', credits ? credits.remaining : '');
    interval.value = refill ? refill.interval : '';
    set('credits.refill.amount', refill ? refill.amount : '');
    set('credits.refill.refillDay', refill && refill.interval === 'monthly' ? refill.refillDay || '' : '');
    original = credits ? { remaining: credits.remaining, refill: refill ? { ...refill } : undefined } : null;
    sync();
  }

  function readCredits(errors) {
    if (mode.value !== 'limited') {
      return null;
    }
    const remaining = integerOf(fields['credits.remaining'].input);
    if (remaining === null || !(remaining >= 0)) {
      errors.push({ field: 'credits.remaining', message: 'must be >= 0' });
    }
    const credits = { remaining };
    if (interval.value) {
      const amount = integerOf(fields['credits.refill.amount'].input);
      if (amount === null || !(amount > 0)) {
        errors.push({ field: 'credits.refill.amount', message: 'must be > 0' });
      }
      credits.refill = { interval: interval.value, amount };
      const day = interval.value === 'monthly' ? integerOf(fields['credits.refill.refillDay'].input) : null;
      if (day !== null) {
        if (!(day >= 1 && day <= 28)) {
          errors.push({ field: 'credits.refill.refillDay', message: 'must be 1..28, monthly refills only' });
        }
        credits.refill.refillDay = day;
      }
    }
    return credits;
  }

  /** The policy as the API takes it, or an ApiError carrying the same field errors the API would answer. */
  function read() {
    const errors = [];
    const scopes = parseScopes(fields.scopes.input.value);
    if (scopes.length > MAX_SCOPES) {
      errors.push({ field: 'scopes', message: `at most ${MAX_SCOPES} scopes` });
    } else if (scopes.some((s) => !SCOPE.test(s))) {
      errors.push({ field: 'scopes', message: `scope must match ${SCOPE.source}` });
    }
    const allowedIps = parseAddresses(fields.allowedIps.input.value);
    const odd = allowedIps.find((ip) => !ADDRESS_CHARACTERS.test(ip));
    if (allowedIps.length > MAX_ADDRESSES) {
      errors.push({ field: 'allowedIps', message: `at most ${MAX_ADDRESSES} addresses` });
    } else if (odd) {
      errors.push({ field: 'allowedIps', message: `not an IPv4 or IPv6 CIDR: ${odd}` });
    }
    const credits = readCredits(errors);
    return errors.length
      ? { error: new ApiError(400, { status: 400, errors }) }
      : { value: { scopes, allowedIps, credits } };
  }

  /** Whether the credits read differ from the ones filled in (unchanged credits are left out of a PATCH). */
  function creditsChanged(credits) {
    const norm = (c) => JSON.stringify(c ? { remaining: c.remaining, refill: c.refill
      ? { interval: c.refill.interval, amount: c.refill.amount, refillDay: c.refill.refillDay || null } : null } : null);
    return norm(credits) !== norm(original);
  }

  const element = h('fieldset', { class: 'policy' }, h('legend', {}, 'Policy'),
    h('div', { class: 'grid' }, fields.scopes.wrap, fields.allowedIps.wrap),
    h('div', { class: 'grid' }, fields.credits.wrap, fields['credits.remaining'].wrap,
      fields['credits.refill.interval'].wrap, fields['credits.refill.amount'].wrap,
      fields['credits.refill.refillDay'].wrap));
  return { fields, element, fill, fillCredits, read, creditsChanged };
}
