// The management API as the console calls it: HTTP basic auth with the credentials kept in
// sessionStorage (gone when the tab closes), JSON in and out, errors carrying the API's reason.

const AUTH = 'warren.auth';
const USER = 'warren.user';

/** A failed call, its message the API's own words: the reason of its {"error", "reason"} body. */
export class ApiError extends Error {
  constructor(status, body) {
    const said = body && (body.reason ?? body.error);
    super(said === undefined || said === null ? `HTTP ${status}` : typeof said === 'string' ? said : JSON.stringify(said));
    this.status = status;
    this.error = body && body.error;
  }
}

/** The logged-in user ({name, tags: [...]}) or null. */
export function currentUser() {
  const u = sessionStorage.getItem(USER);
  return u ? JSON.parse(u) : null;
}

export function hasTag(tag) {
  const u = currentUser();
  return !!u && u.tags.includes(tag);
}

/** Checks the credentials against /api/whoami and keeps them for this tab. */
export async function logIn(name, password) {
  const auth = btoa(unescape(encodeURIComponent(`${name}:${password}`)));
  const me = await request('GET', '/api/whoami', undefined, auth);
  // RabbitMQ 3.13 answers a list of tags, older ones a comma-separated string
  const tags = Array.isArray(me.tags) ? me.tags : String(me.tags || '').split(',').filter(Boolean);
  sessionStorage.setItem(AUTH, auth);
  sessionStorage.setItem(USER, JSON.stringify({ name: me.name, tags }));
}

export function logOut() {
  sessionStorage.removeItem(AUTH);
  sessionStorage.removeItem(USER);
}

/** A path segment as the API spells it ("/" is %2F). */
export const enc = encodeURIComponent;

export const get = (path) => request('GET', path);
export const put = (path, body) => request('PUT', path, body ?? {});
export const post = (path, body) => request('POST', path, body ?? {});
export const del = (path, headers) => request('DELETE', path, undefined, undefined, headers);

/** GET that answers null for a 404 or 405: an endpoint this broker does not have (yet). */
export async function getOptional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404 || e.status === 405) return null;
    throw e;
  }
}

async function request(method, path, body, auth = sessionStorage.getItem(AUTH), headers = {}) {
  const h = { ...headers };
  if (auth) h.Authorization = `Basic ${auth}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  // credentials 'omit': a 401 must come back to the page, not open the browser's login prompt
  const res = await fetch(path, {
    method, headers: h, credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    if (res.status === 401 && auth === sessionStorage.getItem(AUTH)) {
      window.dispatchEvent(new CustomEvent('warren-logged-out', { detail: json && json.reason }));
    }
    throw new ApiError(res.status, json);
  }
  return json;
}
