/* Calls to the kbsearch HTTP API. Every answer is a JSON object; errors
 * become exceptions carrying the server's message. */
import { t } from './i18n.js';

async function fetchJSON(url, signal) {
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new Error(t('networkError'));
  }
  let body = null;
  try { body = await res.json(); } catch (_) { /* not JSON */ }
  if (!res.ok) {
    const msg = body && body.error && body.error.message;
    throw new Error(typeof msg === 'string' && msg ? msg : `HTTP ${res.status}`);
  }
  if (!body || typeof body !== 'object') throw new Error(t('badResponse'));
  return body;
}

/** `GET /api/search`. `opts` holds only the pass-through flags (fuzzy, layout, synonyms, translit, …). */
export function search({ q, offset = 0, limit = 10, lang = '', products = [], opts = {} }, signal) {
  // html: the records' causes and actions also come as sanitized HTML (lists kept).
  const p = new URLSearchParams({ q, limit: String(limit), offset: String(offset), html: 'true' });
  if (lang) p.set('lang', lang);
  if (products.length) p.set('product', products.join(','));
  for (const [flag, value] of Object.entries(opts)) if (value) p.set(flag, value);
  return fetchJSON(`/api/search?${p}`, signal);
}

/** `GET /api/suggest`: titles, headings and codes starting like `q`. */
export const suggest = (q) => fetchJSON(`/api/suggest?${new URLSearchParams({ q })}`);

/** `GET /api/docs/<path>`: `segments` are the decoded path segments. */
export const documentAt = (segments) => fetchJSON(`/api/docs/${segments.map(encodeURIComponent).join('/')}`);

/** `GET /api/stats`. */
export const stats = () => fetchJSON('/api/stats');
