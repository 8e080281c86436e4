import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ManifestError, parseManifest } from '../../src/core/manifest/manifest';
import { ROOT } from '../paths';
import type { HostileCase } from './harness';

type Json = Record<string, unknown>;

interface ManifestSpec {
  name: string;
  /** Turns the project's own manifest into the hostile one. */
  mutate(manifest: Json): unknown;
  message: RegExp;
}

const first = (m: Json): Json => (m.models as Json[])[0]!;

const REQUIRED_FIELDS = [
  'id',
  'role',
  'displayName',
  'modelUrl',
  'modelLibUrl',
  'vramRequiredMB',
  'contextWindow',
  'license',
] as const;

const SPECS: ManifestSpec[] = [
  {
    name: 'a list instead of an object',
    mutate: (m) => [m],
    message: /top level: must be an object/,
  },
  { name: 'null', mutate: () => null, message: /top level: must be an object/ },
  {
    name: 'no version',
    mutate: (m) => ({ ...m, version: undefined }),
    message: /"version" must be 1 \(found undefined\)/,
  },
  {
    name: 'no models',
    mutate: (m) => ({ ...m, models: [] }),
    message: /"models" must be a non-empty list/,
  },
  ...REQUIRED_FIELDS.map(
    (field): ManifestSpec => ({
      name: `the first model lacks "${field}"`,
      mutate: (m) => {
        delete first(m)[field];
        return m;
      },
      message: new RegExp(`"${field}" must be`),
    }),
  ),
  {
    name: 'a javascript: URL',
    mutate: (m) => {
      first(m).modelUrl = 'javascript:alert(1)';
      return m;
    },
    message: /"modelUrl" must be an http\(s\) URL or a path relative to the page/,
  },
  {
    name: 'a model library that is not a .wasm file',
    mutate: (m) => {
      first(m).modelLibUrl = 'https://example.org/lib.js';
      return m;
    },
    message: /"modelLibUrl" must name a \.wasm file/,
  },
  {
    name: 'a negative VRAM requirement',
    mutate: (m) => {
      first(m).vramRequiredMB = -1;
      return m;
    },
    message: /"vramRequiredMB" must be a positive number/,
  },
  {
    name: 'the same id twice',
    mutate: (m) => {
      (m.models as Json[]).push({ ...first(m) });
      return m;
    },
    message: /the id appears twice/,
  },
  {
    name: 'no model for a role the pipeline needs',
    mutate: (m) => ({ ...m, models: (m.models as Json[]).filter((x) => x.role !== 'lom') }),
    message: /no model has role "lom"/,
  },
  {
    name: 'an unknown required GPU feature',
    mutate: (m) => {
      first(m).requiredFeatures = ['shader-f16', 'ray-tracing'];
      return m;
    },
    message: /unknown required feature "ray-tracing"/,
  },
];

/** Hostile manifests, through the manifest validator the app uses. */
export function manifestCases(): HostileCase[] {
  const text = readFileSync(join(ROOT, 'models-manifest.json'), 'utf8');
  return [
    {
      category: 'manifest',
      name: "the project's own manifest is valid",
      expected: 'parses',
      async run() {
        expect(parseManifest(JSON.parse(text)).models.length).toBeGreaterThan(0);
      },
    },
    ...SPECS.map(
      (spec): HostileCase => ({
        category: 'manifest',
        name: spec.name,
        expected: 'ManifestError naming the field at fault',
        async run() {
          const hostile = spec.mutate(JSON.parse(text) as Json);
          expect(() => parseManifest(hostile)).toThrow(ManifestError);
          expect(() => parseManifest(hostile)).toThrow(spec.message);
        },
      }),
    ),
  ];
}
