import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppProcess } from '../../src/common/app-process';

describe('AppProcess', () => {
  let dir: string;
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    return file;
  };

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-process-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses JSON lines (split across writes), keeps the raw text and a log file, reports the exit', async () => {
    const file = script(
      'app.js',
      `process.stdout.write('{"level":30,"msg":"hel');
       setTimeout(() => { process.stdout.write('lo"}\\nplain text\\n'); process.stderr.write('{"msg":"on stderr","n":1}'); process.exitCode = 3; }, 20);`,
    );
    const p = new AppProcess(file, { label: 'app', env: {}, logDir: dir });
    const line = await p.waitForMsg('hello', 5000);
    expect(line).toEqual({ level: 30, msg: 'hello' });
    expect(await p.exited).toEqual({ code: 3, signal: null });
    expect(p.raw).toEqual(['{"level":30,"msg":"hello"}', 'plain text', '{"msg":"on stderr","n":1}']);
    expect(p.lines[1]).toEqual({ msg: 'plain text' });
    expect(p.lines[2]).toEqual({ msg: 'on stderr', n: 1 });
    expect(p.logFile).toBe(path.join(dir, `app-${p.child.pid}.log`));
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.readFileSync(p.logFile!, 'utf8')).toContain('plain text');
  });

  it('passes the env it is given and PATH, nothing else', async () => {
    const file = script('env.js', `console.log(JSON.stringify({ msg: 'env', keys: Object.keys(process.env).sort(), x: process.env.X }));`);
    const p = new AppProcess(file, { label: 'env', env: { X: '1' } });
    const line = await p.waitForMsg('env', 5000);
    expect(line.x).toBe('1');
    expect(line.keys).toEqual(['PATH', 'X']);
  });

  it('rejects a wait when the process ends first, and on the timeout', async () => {
    const quick = new AppProcess(script('quick.js', `console.log('bye')`), { label: 'quick', env: {} });
    await expect(quick.waitForMsg('never', 5000)).rejects.toThrow(/quick: "never" not seen before the process ended \(0\)/);
    const slow = new AppProcess(script('slow.js', `console.log('up'); setInterval(() => undefined, 1000)`), { label: 'slow', env: {} });
    await slow.waitForMsg(/^up$/, 5000);
    await expect(slow.waitForMsg('never', 100)).rejects.toThrow(/slow: "never" not seen within 100 ms; last lines:\nup/);
    await slow.stop(5000);
    expect(slow.alive).toBe(false);
    expect((await slow.exited).signal).toBe('SIGTERM');
  });

  it('stop sends SIGKILL when SIGTERM is not enough', async () => {
    const p = new AppProcess(script('stubborn.js', `process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => undefined, 1000)`), { label: 'stubborn', env: {} });
    await p.waitForMsg('up', 5000);
    await p.stop(200);
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(p.raw).toContain('ignored');
  });
});
