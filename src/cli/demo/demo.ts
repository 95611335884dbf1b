import { GlobalOptions } from '../context';

export interface DemoOptions {
  keep?: boolean;
  leases: number;
  seed: number;
  timeout: number;
}

export async function demo(_o: DemoOptions, _g: GlobalOptions): Promise<void> {
  throw new Error('not implemented yet');
}
