import type { ModelRole } from '../../core/manifest/manifest';

/** `kiosk.json` beside index.html, written by `npm run build:kiosk` (editable after). */
export interface KioskConfig {
  title: string;
  /** The bundled database, relative to the page. */
  database: string;
  /** Its file name as shown and as the prompts' database id (without the extension). */
  databaseName: string;
  /** Seconds without input after which the inputs and the correction are cleared. */
  idleResetSeconds: number;
  /** Which pipeline runs on the local models. */
  preset: 'faithful' | 'fast';
  /** Model ids by role (empty: the first the GPU can run). */
  models: Partial<Record<ModelRole, string>>;
}

/** Thrown when kiosk.json is missing or malformed; the message names the field. */
export class KioskConfigError extends Error {
  override name = 'KioskConfigError';
}

/** Validates the parsed kiosk.json. */
export function parseKioskConfig(data: unknown): KioskConfig {
  const o = (data ?? {}) as Record<string, unknown>;
  const text = (field: string, fallback?: string): string => {
    const v = o[field] ?? fallback;
    if (typeof v !== 'string' || !v.trim())
      throw new KioskConfigError(`kiosk.json: "${field}" must be a non-empty string`);
    return v;
  };
  const database = text('database');
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(database)) {
    throw new KioskConfigError(
      `kiosk.json: "database" must be a path beside the page, not "${database}"`,
    );
  }
  const idle = o.idleResetSeconds ?? 180;
  if (typeof idle !== 'number' || !(idle > 0))
    throw new KioskConfigError('kiosk.json: "idleResetSeconds" must be a positive number');
  const preset = o.preset ?? 'fast';
  if (preset !== 'fast' && preset !== 'faithful')
    throw new KioskConfigError('kiosk.json: "preset" must be "fast" or "faithful"');
  const models = (o.models ?? {}) as KioskConfig['models'];
  if (typeof models !== 'object' || Array.isArray(models))
    throw new KioskConfigError('kiosk.json: "models" must be an object of model ids by role');
  return {
    title: text('title', 'SHARE · text-to-SQL correction'),
    database,
    databaseName: text('databaseName', database.split('/').pop()),
    idleResetSeconds: idle,
    preset,
    models,
  };
}

/** Fetches kiosk.json beside the page. */
export async function fetchKioskConfig(): Promise<KioskConfig> {
  const url = new URL('kiosk.json', document.baseURI).href;
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new KioskConfigError(`${url} answered HTTP ${response.status}`);
  return parseKioskConfig(await response.json());
}
