import type { BrowserContext } from 'playwright-core';

/** One request the browser made (page, dedicated workers and service worker). */
export interface RecordedRequest {
  url: string;
  method: string;
  /** The request body as text ('' when none). */
  body: string;
}

/** A request that breaks the privacy rule, and why. */
export interface Leak {
  url: string;
  why: 'other-origin' | 'secret-in-url' | 'secret-in-body' | 'blocked-by-csp';
  secret?: string;
}

/** What may be contacted and what must never be sent. */
export interface PrivacyRule {
  /** The app's origin (http://127.0.0.1:port). */
  appOrigin: string;
  /** OpenAI-compatible endpoints the user configured: they may receive everything. */
  allowedOrigins?: string[];
  /** Table and column names, questions and cell values of the session. */
  secrets: string[];
}

/** Records every request of the context (Playwright also reports service-worker fetches). */
export function recordRequests(context: BrowserContext): {
  requests: RecordedRequest[];
  cspViolations: string[];
} {
  const requests: RecordedRequest[] = [];
  const cspViolations: string[] = [];
  context.on('request', (request) => {
    const buffer = request.postDataBuffer();
    requests.push({
      url: request.url(),
      method: request.method(),
      body: buffer ? buffer.toString('utf8') : '',
    });
  });
  const watch = (page: import('playwright-core').Page): void => {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  };
  for (const page of context.pages()) watch(page);
  context.on('page', watch);
  return { requests, cspViolations };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/**
 * The requests that leak: any to an origin other than the app's (except the configured
 * endpoints), and any to the app's own origin whose URL or body carries a secret. A request
 * the CSP blocked was still an attempt, so CSP reports count too.
 */
export function findLeaks(
  requests: RecordedRequest[],
  rule: PrivacyRule,
  cspViolations: string[] = [],
): Leak[] {
  const leaks: Leak[] = [];
  const allowed = new Set(rule.allowedOrigins ?? []);
  const secrets = rule.secrets.filter(Boolean).map((s) => s.toLowerCase());
  for (const r of requests) {
    if (/^(data|blob):/.test(r.url)) continue;
    const origin = new URL(r.url).origin;
    if (allowed.has(origin)) continue;
    if (origin !== rule.appOrigin) {
      leaks.push({ url: r.url, why: 'other-origin' });
      continue;
    }
    const url = decoded(r.url).toLowerCase();
    const body = `${r.body.toLowerCase()}\n${decoded(r.body).toLowerCase()}`;
    for (const secret of secrets) {
      if (url.includes(secret)) leaks.push({ url: r.url, why: 'secret-in-url', secret });
      if (body.includes(secret)) leaks.push({ url: r.url, why: 'secret-in-body', secret });
    }
  }
  for (const text of cspViolations) leaks.push({ url: text, why: 'blocked-by-csp' });
  return leaks;
}
