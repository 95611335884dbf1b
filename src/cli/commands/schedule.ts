import { GlobalOptions, loadEnv, runSchedulerOnce } from '../context';
import { CommandFailed } from '../exit-codes';
import { checkPostgres, checkRedis } from '../preflight';
import { renderScheduleReport } from '../schedule-report';

export async function schedule(o: { dryRun?: boolean; json?: boolean }, g: GlobalOptions): Promise<void> {
  const env = loadEnv(g);
  await checkPostgres(env);
  await checkRedis(env);
  const report = await runSchedulerOnce(env, !!o.dryRun, 'cli', !!g.verbose).catch((err: Error) => {
    throw new CommandFailed(`the scheduler pass failed: ${err.message}`);
  });
  console.log(o.json ? JSON.stringify(report) : renderScheduleReport(report, !!o.dryRun));
}
