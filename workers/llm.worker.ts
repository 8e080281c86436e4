/**
 * web-llm's own handler owns this worker's messages (no comlink here): the page talks to
 * it through `CreateWebWorkerMLCEngine` / `WebWorkerMLCEngine`.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (message: MessageEvent) => {
  handler.onmessage(message);
};
