import type { Plugin } from 'vite';

/**
 * The SQL parser (`@guanmingchiu/sqlparser-ts`) loads its wasm glue with an import Vite is
 * told to ignore, which then resolves against the bundled chunk's URL (`<site>/wasm/…`, a
 * 404: "Failed to load WASM module"). Let Vite see that import so the glue is bundled.
 */
export function sqlparserWasmGlue(): Plugin {
  const ignored = /import\(\s*\/\* @vite-ignore \*\/\s*"\.\.\/wasm\/sqlparser_rs_wasm\.js"\s*\)/;
  return {
    name: 'share-sqlparser-wasm-glue',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('@guanmingchiu/sqlparser-ts/dist/index.mjs')) return undefined;
      if (!ignored.test(code)) {
        this.error(
          'sqlparser-ts changed how it loads its wasm: update src/build/sqlparser-wasm-glue.ts',
        );
      }
      return code.replace(ignored, 'import("../wasm/sqlparser_rs_wasm.js")');
    },
  };
}
