/**
 * Builds a kiosk: a static folder with the app (locked-down UI), the SHARE models, one
 * database and kiosk.json, all served from one origin; its CSP allows no other origin.
 *
 * Usage: npm run build:kiosk -- --db FILE [--models DIR] [--out DIR] [--title TEXT]
 *          [--idle SECONDS] [--preset fast|faithful] [--config kiosk.config.json]
 * The config file takes the same fields (paths relative to it): see kiosk.config.example.json.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { build } from 'vite';
import { shareViteConfig } from '../src/build/vite-config';
import type { CommandDoc, OptionValues } from '../src/cli/args';
import { openCheckedDatabase } from '../src/core/db/open-check';
import { type ManifestModel, parseManifest } from '../src/core/manifest/manifest';
import { scriptOptions } from './script-options';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What the kiosk is built from. */
export interface KioskOptions {
  db: string;
  models?: string;
  out: string;
  title: string;
  idleResetSeconds: number;
  preset: 'fast' | 'faithful';
  /** Model ids by role to preselect (optional). */
  modelIds?: Partial<Record<'bam' | 'sam' | 'lom' | 'generator', string>>;
}

/** What was built. */
export interface KioskBuild {
  out: string;
  models: string[];
  dropped: { id: string; why: string }[];
  database: string;
  totalBytes: number;
  precacheEntries: number;
  precacheBytes: number;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/** A relative manifest URL as a path inside the models folder (`models/x` → `x`). */
function insideModels(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url) || url.startsWith('/')) return undefined;
  return url.replace(/^\.\//, '').replace(/^models\//, '');
}

/**
 * The kiosk's manifest: the models of DIR/models-manifest.json (or the project's manifest)
 * whose files are in DIR. Entries with absolute URLs are dropped: a kiosk contacts no host.
 */
function kioskManifest(modelsDir: string | undefined): {
  manifest: { version: 1; models: ManifestModel[] };
  dropped: { id: string; why: string }[];
} {
  const own = modelsDir && join(modelsDir, 'models-manifest.json');
  const source = own && existsSync(own) ? own : join(ROOT, 'models-manifest.json');
  const all = parseManifest(JSON.parse(readFileSync(source, 'utf8'))).models;
  const kept: ManifestModel[] = [];
  const dropped: { id: string; why: string }[] = [];
  for (const m of all) {
    const folder = insideModels(m.modelUrl);
    const lib = insideModels(m.modelLibUrl);
    if (!modelsDir) dropped.push({ id: m.id, why: 'no --models folder given' });
    else if (folder === undefined || lib === undefined) {
      dropped.push({ id: m.id, why: 'its files are on another host' });
    } else {
      const weights = /resolve\/[^/]+\/?$/.test(folder) ? folder : join(folder, 'resolve/main');
      const config = join(modelsDir, weights, 'mlc-chat-config.json');
      if (!existsSync(config)) dropped.push({ id: m.id, why: `${config} is missing` });
      else if (!existsSync(join(modelsDir, lib))) {
        dropped.push({ id: m.id, why: `${join(modelsDir, lib)} is missing` });
      } else kept.push({ ...m, modelUrl: `models/${folder}`, modelLibUrl: `models/${lib}` });
    }
  }
  return { manifest: { version: 1, models: kept }, dropped };
}

/** Builds the kiosk folder; throws an Error saying what is wrong with the inputs. */
export async function buildKiosk(options: KioskOptions): Promise<KioskBuild> {
  if (!existsSync(options.db)) throw new Error(`the database ${options.db} does not exist`);
  if (options.models && !existsSync(options.models)) {
    throw new Error(`the models folder ${options.models} does not exist`);
  }
  const dbBytes = readFileSync(options.db);
  const SQL = await initSqlJs();
  // The same checks as the app: refuse a file the kiosk could not open.
  openCheckedDatabase(SQL, new Uint8Array(dbBytes), { fileName: basename(options.db) }).db.close();
  if (options.models && !statSync(options.models).isDirectory()) {
    throw new Error(`--models ${options.models} is not a folder`);
  }
  const { manifest, dropped } = kioskManifest(options.models);
  if (options.models && manifest.models.length === 0) {
    throw new Error(
      `no model of the manifest has its files in ${options.models}: ${dropped.map((d) => `${d.id}: ${d.why}`).join('; ')}`,
    );
  }

  const missing = (['bam', 'sam', 'lom'] as const).filter(
    (role) => options.models && !manifest.models.some((m) => m.role === role),
  );
  if (missing.length) {
    throw new Error(
      `a correction needs a BAM, a SAM and a LOM model, but ${options.models} has none for ${missing.join(', ')}: ${dropped.map((d) => `${d.id}: ${d.why}`).join('; ')}`,
    );
  }

  const staging = mkdtempSync(join(tmpdir(), 'share-kiosk-'));
  try {
    const site = join(staging, 'public');
    mkdirSync(join(site, 'kiosk'), { recursive: true });
    if (options.models) {
      cpSync(options.models, join(site, 'models'), {
        recursive: true,
        filter: (path) => basename(path) !== 'models-manifest.json',
      });
    }
    const dbName = basename(options.db);
    writeFileSync(join(site, 'kiosk', dbName), dbBytes);
    writeFileSync(
      join(site, 'kiosk.json'),
      `${JSON.stringify(
        {
          title: options.title,
          database: `kiosk/${dbName}`,
          databaseName: dbName,
          idleResetSeconds: options.idleResetSeconds,
          preset: options.preset,
          models: options.modelIds ?? {},
        },
        null,
        2,
      )}\n`,
    );
    const manifestPath = join(staging, 'models-manifest.json');
    // An empty list is not a valid manifest: with no models the app runs without a model.
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const out = resolve(options.out);
    await build({
      ...shareViteConfig({ root: ROOT, outDir: out, manifestPath, kiosk: true, publicDir: site }),
      configFile: false,
      logLevel: 'warn',
    });
    const sw = readFileSync(join(out, 'sw.js'), 'utf8');
    const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]!);
    const unique = [...new Set(urls)];
    return {
      out,
      models: manifest.models.map((m) => m.id),
      dropped,
      database: `kiosk/${dbName}`,
      totalBytes: folderBytes(out),
      precacheEntries: unique.length,
      precacheBytes: unique.reduce((n, u) => n + statSync(join(out, u)).size, 0),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const KIOSK_DOC = {
  summary:
    'build a kiosk: a static folder with the app (locked-down UI), the SHARE models, one database and kiosk.json, served from one origin',
  options: {
    db: {
      type: 'string',
      arg: 'FILE',
      help: 'the SQLite database to bundle (required here or as "db" in --config)',
    },
    models: {
      type: 'string',
      arg: 'DIR',
      help: 'a folder of compiled SHARE models (see "Preparing the SHARE models"); without it the kiosk runs without a model',
    },
    out: { type: 'string', arg: 'DIR', help: 'where to write the kiosk (default dist-kiosk)' },
    title: { type: 'string', arg: 'TEXT', help: 'the page title (default "SHARE kiosk")' },
    idle: {
      type: 'string',
      arg: 'SECONDS',
      help: 'reset the session after this long without input (default 180)',
    },
    preset: { type: 'string', arg: 'fast|faithful', help: 'the pipeline preset (default fast)' },
    config: {
      type: 'string',
      arg: 'FILE',
      help: 'a JSON file with the same fields, paths relative to it (see kiosk.config.example.json); options given here win',
    },
  },
} as const satisfies CommandDoc;

/** The command line's options (and the config file they name) as kiosk options. */
export function kioskOptions(values: OptionValues<typeof KIOSK_DOC.options>): KioskOptions {
  let file: Record<string, unknown> = {};
  let base = process.cwd();
  if (values.config) {
    file = JSON.parse(readFileSync(values.config, 'utf8')) as Record<string, unknown>;
    base = dirname(resolve(values.config));
  }
  const path = (v: unknown): string | undefined =>
    typeof v === 'string' && v ? resolve(base, v) : undefined;
  const db = values.db ? resolve(values.db) : path(file.db);
  if (!db) throw new Error('give the database: --db FILE (or "db" in --config)');
  const idle = Number(values.idle ?? file.idleResetSeconds ?? 180);
  if (!(idle > 0)) throw new Error('--idle must be a positive number of seconds');
  const preset = values.preset ?? file.preset ?? 'fast';
  if (preset !== 'fast' && preset !== 'faithful')
    throw new Error('--preset must be fast or faithful');
  return {
    db,
    models: values.models ? resolve(values.models) : path(file.models),
    out: values.out ? resolve(values.out) : (path(file.out) ?? join(ROOT, 'dist-kiosk')),
    title: values.title ?? (typeof file.title === 'string' ? file.title : 'SHARE kiosk'),
    idleResetSeconds: idle,
    preset,
    modelIds: (file.modelIds as KioskOptions['modelIds']) ?? undefined,
  };
}

async function main(): Promise<void> {
  const built = await buildKiosk(kioskOptions(scriptOptions('build:kiosk', KIOSK_DOC)));
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  process.stderr.write(
    `kiosk built in ${built.out}: ${mb(built.totalBytes)}, ${built.precacheEntries} files (${mb(built.precacheBytes)}) precached for offline use\n` +
      `models: ${built.models.join(', ') || 'none (the kiosk runs without a model)'}\n` +
      built.dropped.map((d) => `  left out ${d.id}: ${d.why}\n`).join(''),
  );
  process.stdout.write(`${JSON.stringify(built, null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    process.stderr.write(`build:kiosk: ${error.message}\n`);
    process.exit(1);
  });
}
