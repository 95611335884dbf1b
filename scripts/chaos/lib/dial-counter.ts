import * as http from 'http';
import { onCleanup } from './harness';

/** A loopback HTTP server that only counts requests: pointed to as the Twilio API where nothing may dial. */
export async function startDialCounter(): Promise<{ url: string; count(): number }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 20500, message: 'chaos dial counter: no call may be placed here', status: 500 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup('dial counter', () => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, count: () => n };
}
