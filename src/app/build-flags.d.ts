/** Set by the build (src/build/vite-config.ts): true in a kiosk build. */
declare const __SHARE_KIOSK__: boolean;
