import { CanonicalBatch, StreamKind } from '../../src/connectors/canonical';
import { PulledPage } from '../../src/connectors/connector.types';

/** Drains a connector pull: every page in order, and the records grouped by stream. */
export async function collect(it: AsyncIterable<PulledPage>): Promise<{ pages: PulledPage[]; by: Partial<Record<StreamKind, any[]>> }> {
  const pages: PulledPage[] = [];
  const by: Partial<Record<StreamKind, any[]>> = {};
  for await (const p of it) {
    pages.push(p);
    (by[p.kind] ??= []).push(...(p as CanonicalBatch).records);
  }
  return { pages, by };
}

/** Client retries fast enough for tests (the connectors' real delays are seconds). */
export const fastRetry = { retries: 3, baseDelayMs: 20, maxDelayMs: 200 };
