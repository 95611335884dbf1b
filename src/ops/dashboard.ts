import { timingSafeEqual, createHash } from 'crypto';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export const DASHBOARD_PATH = '/dashboard';

function sameSecret(a: string, b: string): boolean {
  // compare fixed-size digests so neither the length nor the content leaks through timing
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** HTTP basic auth against one configured user (DASHBOARD_USER / DASHBOARD_PASSWORD). */
export function basicAuth(user: string, password: string, realm = 'mordecai-workers'): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (m) {
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i >= 0) {
        const okUser = sameSecret(decoded.slice(0, i), user);
        const okPass = sameSecret(decoded.slice(i + 1), password);
        if (okUser && okPass) return next();
      }
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.status(401).type('text/plain').send('authentication required\n');
  };
}

/** The Bull Board UI for the given queues, mounted at DASHBOARD_PATH (an express router). */
export function bullBoardRouter(queues: Queue[]): RequestHandler {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
  const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as typeof import('@bull-board/api/bullMQAdapter');
  const { ExpressAdapter } = require('@bull-board/express') as typeof import('@bull-board/express');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'mordecai-workers' } } });
  return serverAdapter.getRouter() as RequestHandler;
}
