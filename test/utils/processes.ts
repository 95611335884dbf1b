import { spawn } from 'child_process';
import * as path from 'path';
import { AppProcess } from '../../src/common/app-process';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The built apps live in dist/; MW_DIST_DIR points the tests at another build of the same tree
 * (e.g. `npx tsc -p tsconfig.build.json --outDir .fdist` while someone else rebuilds dist/).
 */
export function distPath(script: string): string {
  const dir = process.env.MW_DIST_DIR;
  return path.join(ROOT, dir && script.startsWith('dist/') ? path.join(dir, script.slice('dist/'.length)) : script);
}

/** The built worker and scheduler, as the e2e tests run them: from the repository root, in the build distPath points at. */
export function startWorker(env: Record<string, string>): AppProcess {
  return new AppProcess(distPath('dist/main-worker.js'), { label: 'worker', env, cwd: ROOT });
}

export function startScheduler(env: Record<string, string>, args: string[] = []): AppProcess {
  return new AppProcess(distPath('dist/main-scheduler.js'), { label: 'scheduler', env, args, cwd: ROOT });
}

export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distPath('dist/cli.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} timed out; stdout=${stdout} stderr=${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
