import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findSystemBinaries } from '../src/index.js';
import { eventually, groupAlive, isAlive, processesMentioning } from './helpers.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'alert-loop-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: npm run demo (lib/main.js)', () => {
  it('stops every process it started on Ctrl-C (SIGINT)', async () => {
    // Prepare
    const runDir = join(dir, 'run');
    const cli = spawn(process.execPath, [MAIN, '--healthy', '600', '--run-dir', runDir], {
      env: { ...process.env, SLACK_WEBHOOK_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close', not 'exit': the last lines must be read before the output is checked.
    const exited = new Promise<number | null>((resolve) => cli.once('close', (code) => resolve(code)));
    expect(await eventually(() => output.includes('traffic-started'), 60_000)).toBe(true);
    const pids = [...output.matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1]));
    expect(pids.length).toBe(5);
    expect(pids.every(isAlive)).toBe(true);

    // Act
    cli.kill('SIGINT');
    const code = await exited;

    // Assess
    expect(code).toBe(130);
    expect(output).toContain('SIGINT: stopping every process the loop started');
    expect(pids.filter((pid) => isAlive(pid) || groupAlive(pid))).toEqual([]);
    expect(processesMentioning(runDir)).toEqual([]);
  });

  it('says exactly how to install a missing binary', () => {
    // Act: a PATH with node only, no Prometheus or Alertmanager
    const result = spawnSync(process.execPath, [MAIN], { env: { PATH: dirname(process.execPath) }, encoding: 'utf8' });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('bash scripts/install-system-deps.sh');
    expect(result.stderr).toContain('prometheus-alertmanager');
  });

  it('exports the rule group for AMP and kube-prometheus-stack at production windows', () => {
    // Act
    const out = join(dir, 'rules');
    const result = spawnSync(process.execPath, [MAIN, '--export-rules', out], { encoding: 'utf8' });

    // Assess
    expect(result.status).toBe(0);
    const check = spawnSync(findSystemBinaries().promtool, ['check', 'rules', join(out, 'ho11y-rules.yaml')], { encoding: 'utf8' });
    expect(check.stdout).toContain('SUCCESS: 1 rules found');
    expect(result.stdout).toContain('ho11y-prometheusrule.yaml');
  });
});
