import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, extraConnectSources, manifestOrigins } from './csp';

const manifest = {
  models: [
    { modelUrl: 'models/share-bam/', modelLibUrl: 'models/libs/a.wasm' },
    {
      modelUrl: 'https://huggingface.co/mlc-ai/Qwen',
      modelLibUrl: 'https://raw.githubusercontent.com/mlc-ai/libs/q.wasm',
    },
  ],
};

const connectSrc = (policy: string): string[] => /connect-src ([^;]+)/.exec(policy)![1]!.split(' ');

describe('content security policy', () => {
  it('names the absolute model hosts of the manifest, not the relative ones', () => {
    expect(manifestOrigins(manifest)).toEqual([
      'https://huggingface.co',
      'https://raw.githubusercontent.com',
    ]);
    expect(manifestOrigins({})).toEqual([]);
  });

  it('site: self, the model hosts (and their download hosts), loopback endpoints', () => {
    const policy = contentSecurityPolicy(manifest, { kiosk: false });
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(connectSrc(policy)).toEqual([
      "'self'",
      'data:',
      'blob:',
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
      'https://raw.githubusercontent.com',
      'http://127.0.0.1:*',
      'http://localhost:*',
    ]);
    expect(policy).not.toMatch(/connect-src[^;]*\bhttps?:(\s|;)/); // no scheme-wide source
  });

  it('kiosk: its own origin only, even with remote models in the manifest', () => {
    expect(connectSrc(contentSecurityPolicy(manifest, { kiosk: true }))).toEqual([
      "'self'",
      'data:',
      'blob:',
    ]);
  });

  it('adds configured endpoints and refuses anything that is not an origin', () => {
    const extra = extraConnectSources('https://llm.example.org, https://gpu.example.org:8443');
    const policy = contentSecurityPolicy(manifest, { kiosk: false, extraConnect: extra });
    expect(connectSrc(policy)).toContain('https://gpu.example.org:8443');
    expect(() => extraConnectSources("https://x.example 'unsafe-inline'")).toThrow(
      /not an http\(s\)\/ws\(s\) origin/,
    );
    expect(extraConnectSources(undefined)).toEqual([]);
  });
});
