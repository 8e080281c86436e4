import type { ResolvedUrls } from '../../core/manifest/manifest';
import { ModelFilesNotFoundError } from './model-errors';

async function probe(url: string, method: 'GET' | 'HEAD'): Promise<string | undefined> {
  try {
    let response = await fetch(url, { method, cache: 'no-store' });
    // Some hosts refuse HEAD; ask again with GET.
    if (method === 'HEAD' && (response.status === 405 || response.status === 501)) {
      response = await fetch(url, { cache: 'no-store' });
    }
    // Only the status matters; do not read a possibly large body.
    response.body?.cancel().catch(() => {});
    return response.ok ? undefined : `${url} answered HTTP ${response.status}`;
  } catch (error) {
    return `${url} could not be fetched: ${(error as Error).message}`;
  }
}

/**
 * Checks that a model's folder and library exist before web-llm starts downloading, so a
 * missing folder is reported by its URL instead of as a stack of web-llm internals.
 */
export async function preflightModel(urls: ResolvedUrls): Promise<void> {
  const config = await probe(`${urls.weightsUrl}mlc-chat-config.json`, 'GET');
  if (config) throw new ModelFilesNotFoundError(urls.folderUrl, config);
  const lib = await probe(urls.modelLibUrl, 'HEAD');
  if (lib) throw new ModelFilesNotFoundError(urls.modelLibUrl, lib);
}
