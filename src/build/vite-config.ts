import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin, UserConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy, extraConnectSources } from './csp';
import { sqlparserWasmGlue } from './sqlparser-wasm-glue';

/** What differs between the static site and a kiosk build. */
export interface ShareBuildOptions {
  /** The project root (index.html, src/, public/). */
  root: string;
  outDir: string;
  /** The manifest to serve and to derive connect-src from. */
  manifestPath: string;
  /** Kiosk: locked-down UI, connect-src 'self' only, the bundled database precached. */
  kiosk: boolean;
  /** Files copied as they are (default `public/`; the kiosk build stages its own). */
  publicDir?: string;
  /** More connect-src sources (`SHARE_WEB_CONNECT_SRC`). */
  extraConnect?: string[];
}

const MANIFEST = 'models-manifest.json';

/**
 * Serves the manifest in dev and copies it beside `index.html` in the build (not hashed,
 * not precached: a kiosk can edit the deployed copy without rebuilding).
 */
function modelsManifest(path: string): Plugin {
  const read = (): string => readFileSync(path, 'utf8');
  return {
    name: 'share-models-manifest',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.split('?')[0]?.endsWith(`/${MANIFEST}`)) return next();
        res.setHeader('content-type', 'application/json');
        res.end(read());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MANIFEST, source: read() });
    },
  };
}

const CSP_MARKER = /<!-- The Content-Security-Policy is injected[^>]*-->/;

/** Injects the Content-Security-Policy meta tag, generated from the manifest. */
function cspMeta(options: ShareBuildOptions): Plugin {
  let dev = false;
  return {
    name: 'share-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const policy = contentSecurityPolicy(JSON.parse(readFileSync(options.manifestPath, 'utf8')), {
        kiosk: options.kiosk,
        extraConnect: options.extraConnect,
        dev,
      });
      // Replaces the marker comment so the policy precedes every script (and follows charset).
      if (!CSP_MARKER.test(html)) throw new Error('index.html lacks the CSP marker comment');
      const content = policy.replaceAll('"', '&quot;');
      return html.replace(
        CSP_MARKER,
        `<meta http-equiv="Content-Security-Policy" content="${content}" />`,
      );
    },
  };
}

/** The installed web-llm version (the benchmark report names it). */
function webLlmVersion(root: string): string {
  const path = resolve(root, 'node_modules/@mlc-ai/web-llm/package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * What the service worker precaches: the app shell and assets, plus the demo or kiosk
 * database and model libraries when the site ships them (a pattern that matches nothing
 * would make Workbox warn on every build).
 */
function precachePatterns(publicDir: string): string[] {
  const patterns = ['*.{html,js,css,webmanifest}', 'assets/**/*'];
  const has = (dir: string, test: (name: string) => boolean): boolean =>
    existsSync(join(publicDir, dir)) &&
    readdirSync(join(publicDir, dir), { recursive: true }).some((f) => test(String(f)));
  if (has('demo', () => true)) patterns.push('demo/**/*');
  if (has('kiosk', () => true)) patterns.push('kiosk/**/*');
  if (has('models', (f) => f.endsWith('.wasm'))) patterns.push('models/**/*.wasm');
  return patterns;
}

/** The Vite configuration of the app (static site or kiosk). */
export function shareViteConfig(options: ShareBuildOptions): UserConfig {
  const publicDir = options.publicDir ?? resolve(options.root, 'public');
  return {
    root: options.root,
    // Relative asset URLs: the build works when served from any sub-path (e.g. /demo/).
    base: './',
    publicDir,
    define: {
      __SHARE_KIOSK__: JSON.stringify(options.kiosk),
      __WEB_LLM_VERSION__: JSON.stringify(webLlmVersion(options.root)),
    },
    plugins: [
      {
        // Vite's import.meta.env.DEV follows NODE_ENV (a build inside vitest says DEV):
        // the service worker must know whether it runs under the dev server.
        name: 'share-dev-flag',
        config: (_config, env) => ({
          define: { __SHARE_DEV_SERVER__: JSON.stringify(env.command === 'serve') },
        }),
      },
      svelte(),
      modelsManifest(options.manifestPath),
      cspMeta(options),
      sqlparserWasmGlue(),
      VitePWA({
        // The page registers the worker itself (src/app/offline/), so no inline script is
        // needed and the CSP stays 'self'.
        injectRegister: false,
        registerType: 'autoUpdate',
        manifest: {
          name: options.kiosk ? 'SHARE kiosk' : 'SHARE text-to-SQL correction',
          short_name: 'SHARE',
          description: 'Corrects text-to-SQL in the browser with the SHARE models',
          display: options.kiosk ? 'fullscreen' : 'standalone',
          start_url: './',
          scope: './',
          theme_color: '#1f4fd1',
          background_color: '#ffffff',
          icons: [],
        },
        workbox: {
          // The app shell, sql.js and the SQL parser (wasm), the web-llm runtime chunks, the
          // demo or kiosk database, and model libraries under models/ (web-llm does not
          // cache a library served from the page's own origin). Weights stay in web-llm's
          // cache: everything else under models/ is left alone.
          globPatterns: precachePatterns(publicDir),
          globIgnores: [MANIFEST, 'kiosk.json'],
          maximumFileSizeToCacheInBytes: (options.kiosk ? 1024 : 64) * 1024 * 1024,
          // A navigation is answered from the precached index.html through its directory
          // index; other pages of the site (if any) are not rewritten to the app.
          navigateFallback: undefined,
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: true,
          runtimeCaching: [
            {
              // Editable without rebuilding: fresh when online, the last copy offline.
              urlPattern: ({ url, sameOrigin }) =>
                sameOrigin && /\/(models-manifest|kiosk)\.json$/.test(url.pathname),
              handler: 'NetworkFirst',
              options: { cacheName: 'share-config', networkTimeoutSeconds: 5 },
            },
            {
              // Model libraries put beside a deployed site after the build: fresh when
              // online (a library must match the web-llm version), the last copy offline.
              urlPattern: ({ url, sameOrigin }) =>
                sameOrigin && /\/models\/.+\.wasm$/.test(url.pathname),
              handler: 'NetworkFirst',
              options: { cacheName: 'share-model-libs' },
            },
          ],
        },
      }),
    ],
    worker: { format: 'es' },
    build: {
      outDir: options.outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 8000,
    },
    optimizeDeps: { exclude: ['@mlc-ai/web-llm', '@guanmingchiu/sqlparser-ts'] },
  };
}

/** Options from the environment: `SHARE_WEB_OUT_DIR`, `SHARE_WEB_CONNECT_SRC`. */
export function optionsFromEnv(root: string): ShareBuildOptions {
  return {
    root,
    outDir: process.env.SHARE_WEB_OUT_DIR ?? 'dist',
    manifestPath: resolve(root, MANIFEST),
    kiosk: false,
    extraConnect: extraConnectSources(process.env.SHARE_WEB_CONNECT_SRC),
  };
}
