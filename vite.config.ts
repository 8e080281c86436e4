import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const MANIFEST = 'models-manifest.json';

/**
 * Serves `models-manifest.json` from the project root in dev and copies it beside
 * `index.html` in the build, so a kiosk can edit the deployed copy without rebuilding.
 */
function modelsManifest(): Plugin {
  const read = (): string => readFileSync(resolve(root, MANIFEST), 'utf8');
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

export default defineConfig({
  // Relative asset URLs: dist/ works when served from any sub-path (e.g. /demo/).
  base: './',
  plugins: [svelte(), modelsManifest()],
  worker: { format: 'es' },
  build: {
    outDir: process.env.SHARE_WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  optimizeDeps: { exclude: ['@mlc-ai/web-llm'] },
});
