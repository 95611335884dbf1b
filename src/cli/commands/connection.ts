import { GlobalOptions, withApp } from '../context';
import { CliRepository } from '../cli.repository';
import { table } from '../format';
import { ConnectionCommands } from './connection.service';

interface JsonOpt {
  json?: boolean;
}

export async function add(o: JsonOpt & { tenant: string; software: string; credentials: Record<string, unknown> }, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const r = await app.get(ConnectionCommands).add(o.tenant, o.software, o.credentials);
    if (o.json) console.log(JSON.stringify({ id: r.id, created: r.created, status: r.status, test: r.test }));
    else {
      console.log(`${r.created ? 'created' : 'updated'} connection ${r.id} (${o.software}, tenant ${o.tenant}): ${r.status}`);
      console.log(`connection test: ${r.test.ok ? 'ok' : 'FAILED'}: ${r.test.message}`);
      console.log(r.id);
    }
    if (!r.test.ok) process.exitCode = 1;
  });
}

export async function test(id: string, o: JsonOpt, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const { connection, test: t } = await app.get(ConnectionCommands).test(id);
    if (o.json) console.log(JSON.stringify({ id, software: connection.software, status: connection.status, test: t }));
    else console.log(`connection ${id} (${connection.software}): ${t.ok ? 'ok' : 'FAILED'}${t.code ? ` [${t.code}]` : ''}: ${t.message}`);
    if (!t.ok) process.exitCode = 1;
  });
}

export async function list(o: JsonOpt & { tenant?: string }, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const rows = await app.get(CliRepository).listConnections(o.tenant ?? null);
    if (o.json) console.log(JSON.stringify(rows));
    else console.log(table(rows, ['id', 'tenant_name', 'software', 'status', 'last_synced_at', 'last_error']));
  });
}
