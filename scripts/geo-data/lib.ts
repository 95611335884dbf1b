/**
 * Helpers shared by the geo-data refresh scripts: installing the pinned source packages in a scratch
 * folder (they are inputs of the refresh, never dependencies of the workers), and grouping time zones
 * that keep the same clock.
 */
import { execFileSync } from 'child_process';
import { createRequire } from 'module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IANAZone } from 'luxon';

/** Installs `pkgs` (name@version) in a scratch folder once; returns a require rooted there and each package's folder. */
export function installPinned(pkgs: string[]): { req: NodeJS.Require; pkgDir: (name: string) => string } {
  const dir = process.env.GEO_DATA_DIR ?? join(tmpdir(), 'mordecai-geo-data');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  const req = createRequire(join(dir, 'package.json'));
  const pkgDir = (name: string) => join(dir, 'node_modules', name);
  const missing = pkgs.filter((p) => {
    const name = p.slice(0, p.lastIndexOf('@'));
    const version = p.slice(p.lastIndexOf('@') + 1);
    try {
      return JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version !== version;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    console.error(`installing ${missing.join(' ')} in ${dir}`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', dir, ...missing], { stdio: 'inherit' });
  }
  return { req, pkgDir };
}

/**
 * Zones that show the same UTC offset at every hour from 2026 to 2031 keep the same clock for the
 * calling window; the generated tables name each such class by one zone, so that a postal code whose
 * samples fall in America/Indiana/Indianapolis and America/New_York counts as one zone, not two.
 * PREFERRED names the class when one of them is in it.
 */
const PREFERRED = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles',
  'America/Anchorage', 'America/Adak', 'Pacific/Honolulu', 'America/Puerto_Rico', 'Pacific/Guam', 'Pacific/Pago_Pago',
];
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2031, 0, 1);
const HOUR = 3600_000;

function signature(zone: string): string {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new Error(`not an IANA zone: ${zone}`);
  const parts: string[] = [];
  let last: number | null = null;
  for (let t = FROM; t < TO; t += HOUR) {
    const off = z.offset(t);
    if (off !== last) parts.push(`${t}:${off}`);
    last = off;
  }
  return parts.join(',');
}

export function makeCanonicalizer(): (zone: string) => string {
  const bySignature = new Map<string, string>();
  for (const p of PREFERRED) bySignature.set(signature(p), p);
  const cache = new Map<string, string>();
  return (zone: string) => {
    let c = cache.get(zone);
    if (!c) {
      const sig = signature(zone);
      c = bySignature.get(sig) ?? zone;
      if (!bySignature.has(sig)) bySignature.set(sig, zone);
      cache.set(zone, c);
    }
    return c;
  };
}

export const sortZones = (zones: Iterable<string>): string[] => [...new Set(zones)].sort();
