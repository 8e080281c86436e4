import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { optionsFromEnv, shareViteConfig } from './src/build/vite-config';

const root = fileURLToPath(new URL('.', import.meta.url));

// The static site; `npm run build:kiosk` builds the kiosk variant from the same function.
export default defineConfig(shareViteConfig(optionsFromEnv(root)));
