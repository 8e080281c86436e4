import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/paths';
import { ManifestError, parseManifest, resolveModelUrls, runnableModels } from './manifest';

const raw = JSON.parse(readFileSync(resolve(ROOT, 'models-manifest.json'), 'utf8'));

describe('models-manifest.json', () => {
  const manifest = parseManifest(raw);

  it('has BAM, SAM and LOM in q4f16_1 (declaring shader-f16) and q4f32_1, and a generator', () => {
    for (const role of ['bam', 'sam', 'lom'] as const) {
      const qs = manifest.models.filter((m) => m.role === role).map((m) => m.quantization);
      expect(qs.sort()).toEqual(['q4f16_1', 'q4f32_1']);
    }
    expect(manifest.models.some((m) => m.role === 'generator')).toBe(true);
    for (const m of manifest.models) {
      expect(m.requiredFeatures.includes('shader-f16')).toBe(m.quantization === 'q4f16_1');
    }
  });

  it('uses only same-origin paths for the SHARE models', () => {
    for (const m of manifest.models.filter((x) => x.role !== 'generator')) {
      expect(m.modelUrl).not.toMatch(/^[a-z]+:/i);
      expect(m.modelLibUrl).not.toMatch(/^[a-z]+:/i);
    }
  });

  it('takes remote URLs only from web-llm 0.2.86 prebuilt records (never invented)', async () => {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    for (const m of manifest.models.filter((x) => /^https?:/.test(x.modelUrl))) {
      const record = prebuiltAppConfig.model_list.find((r) => r.model_id === m.id);
      expect(record, m.id).toBeDefined();
      expect(m.modelUrl).toBe(record!.model);
      expect(m.modelLibUrl).toBe(record!.model_lib);
      expect(m.vramRequiredMB).toBe(record!.vram_required_MB);
    }
  });

  it('uses the prebuilt Phi-3-mini-4k library names of the installed web-llm for SHARE models', async () => {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    for (const m of manifest.models.filter((x) => x.role !== 'generator')) {
      const base = prebuiltAppConfig.model_list.find(
        (r) => r.model_id === `Phi-3-mini-4k-instruct-${m.quantization}-MLC`,
      );
      expect(base, m.id).toBeDefined();
      expect(m.modelLibUrl.split('/').pop()).toBe(base!.model_lib.split('/').pop());
    }
  });

  it('offers only q4f32 variants to a GPU without shader-f16', () => {
    const ok = runnableModels(manifest, { features: [] });
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.every((m) => m.quantization === 'q4f32_1')).toBe(true);
    expect(runnableModels(manifest, { features: ['shader-f16'] })).toHaveLength(
      manifest.models.length,
    );
  });
});

describe('parseManifest', () => {
  const model = raw.models[0];
  it.each([
    [null, /top level/],
    [{ version: 2, models: [model] }, /"version" must be 1/],
    [{ version: 1, models: [{ ...model, role: 'judge' }] }, /"role" must be one of/],
    [{ version: 1, models: [{ ...model, requiredFeatures: [] }] }, /must declare.*shader-f16/],
    [{ version: 1, models: [{ ...model, modelUrl: 'file:///x' }] }, /http\(s\) URL or a path/],
    [{ version: 1, models: [model] }, /no model has role "sam"/],
  ])('explains %#', (data, why) => {
    expect(() => parseManifest(data)).toThrow(ManifestError);
    expect(() => parseManifest(data)).toThrow(why);
  });
});

describe('resolveModelUrls', () => {
  it('resolves relative entries against the page, under any sub-path', () => {
    const urls = resolveModelUrls(
      parseManifest(raw).models[0]!,
      'https://example.org/demo/index.html',
    );
    expect(urls.folderUrl).toBe('https://example.org/demo/models/share-bam-q4f16_1-MLC/');
    expect(urls.weightsUrl).toBe(
      'https://example.org/demo/models/share-bam-q4f16_1-MLC/resolve/main/',
    );
    expect(urls.modelLibUrl).toMatch(/^https:\/\/example\.org\/demo\/models\/libs\/.*\.wasm$/);
  });
});
