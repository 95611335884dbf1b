import { readFileSync } from 'fs';
import { join } from 'path';

export type ApiSchemaVariant = 'models' | 'migrations';

// TEMPORARY stand-in until the fixture builder lands.
export function apiSchemaSql(variant: ApiSchemaVariant): string {
  const p = join(__dirname, `${variant}.sql`);
  return readFileSync(existsSrc(p), 'utf8');
}
function existsSrc(p: string): string {
  try { readFileSync(p); return p; } catch { return p.replace(`${join('dist', 'src')}`, 'src').replace('/dist/', '/src/'); }
}
