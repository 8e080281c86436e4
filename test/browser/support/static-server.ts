import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.sqlite': 'application/vnd.sqlite3',
};

/** A running static server. */
export interface StaticServer {
  /** The app's URL, ending with the sub-path and '/'. */
  url: string;
  /** Paths requested, in order (to check what the page fetched). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1 under `subPath` (e.g. '/demo/'), proving the build is
 * path-independent. `extra` adds or replaces files by path relative to the site.
 */
export async function serveStatic(
  dir: string,
  subPath = '/share/',
  extra: Record<
    string,
    string | Uint8Array | ((req: IncomingMessage, res: ServerResponse) => void)
  > = {},
): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    if (!path.startsWith(subPath)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = path.slice(subPath.length) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const added = extra[rel];
    if (typeof added === 'function') {
      added(req, res);
      return;
    }
    if (added !== undefined) {
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' });
      res.end(added);
      return;
    }
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${subPath}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
