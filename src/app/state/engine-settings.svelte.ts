export type EngineKind = 'webgpu' | 'openai' | 'none';

/** Faithful: every stage on its model. Fast: stages 1, 2 and 5 computed without a model. */
export type Preset = 'faithful' | 'fast';

export interface EndpointModels {
  bam: string;
  sam: string;
  lom: string;
  generator: string;
}

const KEY = 'share-web:endpoint';

/** Which engine corrects, and the OpenAI-compatible endpoint's settings (no API key kept). */
export class EngineSettings {
  kind = $state<EngineKind>('none');
  baseUrl = $state('http://127.0.0.1:8000/v1');
  apiKey = $state('');
  models = $state<EndpointModels>({ bam: 'bam', sam: 'sam', lom: 'lom', generator: '' });
  preset = $state<Preset>('faithful');
  /** The user confirmed that schema, question and SQL go to the endpoint. */
  acknowledged = $state(false);

  constructor() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as {
        baseUrl?: string;
        models?: EndpointModels;
        preset?: Preset;
      } | null;
      if (saved?.preset === 'fast') this.preset = 'fast';
      if (saved?.baseUrl) this.baseUrl = saved.baseUrl;
      if (saved?.models) this.models = { ...this.models, ...saved.models };
    } catch {
      // A damaged entry is ignored; the defaults stand.
    }
  }

  save(): void {
    localStorage.setItem(
      KEY,
      JSON.stringify({ baseUrl: this.baseUrl, models: this.models, preset: this.preset }),
    );
  }

  /** The endpoint's host, for the warning. */
  get endpointHost(): string {
    try {
      return new URL(this.baseUrl).host;
    } catch {
      return this.baseUrl;
    }
  }
}

export const engineSettings = new EngineSettings();
