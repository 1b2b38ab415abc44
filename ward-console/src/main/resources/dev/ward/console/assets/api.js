// The console's HTTP API (same origin, under api/): JSON in and out, the session cookie sent by the browser,
// the CSRF token on every request that changes something.

/** What the server said about this session: role 'read' | 'admin', csrf token; null before login. */
export const session = {role: null, csrf: null, relay: null};

let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Called when a request comes back 401 after login (the session expired or the relay restarted). */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

export function isAdmin() {
  return session.role === 'admin';
}

/** GET/POST/PUT/DELETE api/PATH; resolves to the JSON body (null for 204), rejects with an ApiError. */
export async function api(method, path, body) {
  const res = await send(method, path, body);
  if (res.status === 204) {
    return null;
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, (data && data.error) || `${res.status} ${res.statusText}`, data);
  }
  return data;
}

/** Like api() but resolves to the Response (for downloads). */
export async function apiRaw(method, path, body) {
  const res = await send(method, path, body);
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    throw new ApiError(res.status, (data && data.error) || `${res.status} ${res.statusText}`, data);
  }
  return res;
}

/** A query string from the non-empty values of params. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') {
      q.set(k, String(v).trim());
    }
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function pathPart(text) {
  return encodeURIComponent(text);
}

async function send(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && session.csrf) {
    headers['X-CSRF-Token'] = session.csrf;
  }
  let res;
  try {
    res = await fetch(`api/${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, `the relay did not answer (${e.message})`, null);
  }
  if (res.status === 401 && session.role && path !== 'login') {
    onUnauthorized();
  }
  return res;
}
