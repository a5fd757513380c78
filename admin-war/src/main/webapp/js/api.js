// The admin REST API over the session cookie. The admin key never reaches this module after sign-in:
// only the CSRF token is kept, in memory.

let csrfToken = null;
let signedIn = null;
let onSignedOut = () => {};

export function setSignedOutHandler(handler) {
  onSignedOut = handler;
}

/** A refused call: status, the problem+json body, and a sentence for people. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(explain(status, problem));
    this.status = status;
    this.problem = problem || {};
    this.fieldErrors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

function explain(status, problem) {
  const detail = problem && problem.detail ? problem.detail : '';
  switch (status) {
    case 0: return 'The server cannot be reached. Check your connection and try again.';
    case 400: return 'Some values are not valid: see the messages next to the fields.';
    case 401: return 'Your session has ended. Please sign in again.';
    case 403: return detail ? `Not allowed: ${detail}.` : 'You are not allowed to do this.';
    case 404: return 'Not found: it may have been deleted or renamed meanwhile.';
    case 409: return detail ? `Conflict: ${detail}.` : 'This conflicts with the current state.';
    case 413: return 'The request is too large.';
    case 415: return 'The request was not sent as JSON.';
    case 429: return 'Too many attempts. Wait a minute, then try again.';
    case 503: return 'The database is unavailable. Try again in a few seconds.';
    default: return `Something went wrong on the server (status ${status}).`;
  }
}

async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store', redirect: 'error',
    });
  } catch (e) {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      problem = null;
    }
    return Promise.reject(new ApiError(response.status, problem));
  }
  if (response.status === 204) {
    return null;
  }
  // a 202 may carry a body (the test event's id) or not (the cache flush)
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** An API call relative to api/v1; a 401 ends the signed-in view. */
export async function api(method, path, body) {
  try {
    return await request(method, `api/v1${path}`, body);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      csrfToken = null;
      signedIn = null;
      onSignedOut(true);
    }
    throw e;
  }
}

export function enc(segment) {
  return encodeURIComponent(segment);
}

function remember(session) {
  signedIn = session;
  csrfToken = session ? session.csrfToken : null;
  return session;
}

/** The signed-in caller, or null (the server answers 204, not 401, when no one is signed in). */
export async function currentSession() {
  return remember(await request('GET', 'session'));
}

/** Exchanges the key for a session; the caller forgets the key right after. */
export async function signIn(key) {
  return remember(await request('POST', 'session', { key }));
}

export async function signOut() {
  try {
    await request('DELETE', 'session');
  } finally {
    remember(null);
  }
}

/** Whether the signed-in caller may change things: viewers get no write controls at all. */
export function mayWrite() {
  return Boolean(signedIn && signedIn.role === 'admin');
}

/** Whether the server has master keys, so retrievable buckets can be created. */
export function retrievableBucketsWork() {
  return Boolean(signedIn && signedIn.retrievableBuckets);
}
