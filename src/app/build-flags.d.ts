/** Set by the build (src/build/vite-config.ts): true in a kiosk build. */
declare const __SHARE_KIOSK__: boolean;

/** The installed @mlc-ai/web-llm version, set by the build. */
declare const __WEB_LLM_VERSION__: string;

/** True under `vite` (the dev server), where no service worker is registered. */
declare const __SHARE_DEV_SERVER__: boolean;
