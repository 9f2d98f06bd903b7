import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runHo11yToExit, spawnHo11y, type Ho11yProcess } from './helpers/ho11y-process.js';

const running: Ho11yProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function start(env: NodeJS.ProcessEnv = {}): Promise<Ho11yProcess> {
  const started = await spawnHo11y(env);
  running.push(started);
  return started;
}

describe('CLI: npx @eks-o11y/ho11y', () => {
  it('is an executable node script', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('logs to stderr by default (the Go original logrus default)', async () => {
    const ho11y = await start();
    await (await fetch(`${ho11y.url}/`)).text();
    await ho11y.waitForLines('stderr', (line) => line.msg === 'ho11y was invoked');
    expect(ho11y.stdout).toEqual([]);
  });

  it('logs to stdout with HO11Y_LOG_DEST=stdout', async () => {
    const ho11y = await start({ HO11Y_LOG_DEST: 'stdout' });
    await (await fetch(`${ho11y.url}/`)).text();
    await ho11y.waitForLines('stdout', (line) => line.msg === 'ho11y was invoked');
    expect(ho11y.stderr).toEqual([]);
  });

  it('logs to stderr for any other HO11Y_LOG_DEST value', async () => {
    const ho11y = await start({ HO11Y_LOG_DEST: '/var/log/ho11y.log' });
    expect(ho11y.stderr.some((line) => String(line.msg).startsWith('Launching ho11y'))).toBe(true);
    expect(ho11y.stdout).toEqual([]);
  });

  it('exits 0 after a graceful shutdown on SIGTERM', async () => {
    const ho11y = await spawnHo11y();
    const code = await ho11y.stop();
    expect(code).toBe(0);
    expect(ho11y.stderr.at(-1)).toMatchObject({ msg: 'SIGTERM received, shutting down ho11y' });
  });

  it('refuses a malformed DUMMY downstream at startup with a fatal line and exit code 1', async () => {
    const { code, stderr } = await runHo11yToExit({ DOWNSTREAM2: 'DUMMY:1.5kB:42ms', HO11Y_PORT: '' });
    expect(code).toBe(1);
    const line = JSON.parse(stderr.trim().split('\n').at(-1) as string) as Record<string, string>;
    expect(line.level).toBe('fatal');
    expect(line.msg).toContain('DOWNSTREAM2="DUMMY:1.5kB:42ms"');
    expect(line.msg).toContain('unknown unit ".5kB"');
  });

  it('refuses an unusable OpenTelemetry setting with a fatal line too, not a stack trace', async () => {
    const { code, stderr } = await runHo11yToExit({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half', HO11Y_PORT: '' });
    expect(code).toBe(1);
    const line = JSON.parse(stderr.trim().split('\n').at(-1) as string) as Record<string, string>;
    expect(line.level).toBe('fatal');
    expect(line.msg).toContain('OTEL_TRACES_SAMPLER_ARG');
    expect(line.msg).toContain('is not a ratio');
  });
});
