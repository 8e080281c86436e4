/**
 * The Content-Security-Policy injected into `index.html` at build time, generated from
 * `models-manifest.json` so `connect-src` names exactly the hosts the models come from.
 */

/** Hosts a model host redirects its downloads to (the browser checks redirects too). */
const REDIRECT_HOSTS: Record<string, string[]> = {
  'https://huggingface.co': ['https://*.huggingface.co', 'https://*.hf.co'],
};

/**
 * Where a user may run an OpenAI-compatible endpoint without rebuilding: this machine.
 * A meta CSP is fixed when the page loads, so an endpoint elsewhere must be added at
 * build time (`SHARE_WEB_CONNECT_SRC`) or by a CSP header on the host. (CSP has no syntax
 * for an IPv6 literal such as [::1]: use 127.0.0.1 or localhost.)
 */
export const LOOPBACK_ENDPOINTS = ['http://127.0.0.1:*', 'http://localhost:*'];

/** The origins (scheme://host[:port]) of the absolute model URLs of a manifest. */
export function manifestOrigins(manifest: unknown): string[] {
  const models = (manifest as { models?: unknown })?.models;
  if (!Array.isArray(models)) return [];
  const origins = new Set<string>();
  for (const m of models as Record<string, unknown>[]) {
    for (const field of ['modelUrl', 'modelLibUrl']) {
      const value = m?.[field];
      if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
      origins.add(new URL(value).origin);
    }
  }
  return [...origins].sort();
}

export interface CspOptions {
  /** Kiosk: only the page's own origin, no model host, no endpoint. */
  kiosk: boolean;
  /** More connect-src sources (e.g. the organisation's vLLM endpoint). */
  extraConnect?: string[];
  /** Dev server: Vite's HMR websocket. */
  dev?: boolean;
}

/** The policy text for a manifest. */
export function contentSecurityPolicy(manifest: unknown, options: CspOptions): string {
  const connect = ["'self'", 'data:', 'blob:'];
  if (!options.kiosk) {
    for (const origin of manifestOrigins(manifest)) {
      connect.push(origin, ...(REDIRECT_HOSTS[origin] ?? []));
    }
    connect.push(...LOOPBACK_ENDPOINTS);
  }
  connect.push(...(options.extraConnect ?? []));
  if (options.dev) connect.push('ws://localhost:*', 'ws://127.0.0.1:*');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

/** Splits `SHARE_WEB_CONNECT_SRC` ("https://a.example https://b.example:8443") into sources. */
export function extraConnectSources(value: string | undefined): string[] {
  const sources = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const s of sources) {
    if (!/^(https?|wss?):\/\/[^\s;'"]+$/i.test(s)) {
      throw new Error(
        `SHARE_WEB_CONNECT_SRC: "${s}" is not an http(s)/ws(s) origin such as https://llm.example.org`,
      );
    }
  }
  return sources;
}
