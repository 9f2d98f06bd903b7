import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSystemBinaries, MissingBinaryError } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'alert-loop-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Function: findSystemBinaries', () => {
  it('finds the Debian binaries on PATH', () => {
    const found = findSystemBinaries();
    expect(found.alertmanager).toMatch(/(prometheus-)?alertmanager$/);
    expect(found.prometheus).toMatch(/prometheus$/);
  });

  it('names every missing binary and the exact install command', () => {
    // Act
    let error: unknown;
    try {
      findSystemBinaries({ PATH: dir });
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(MissingBinaryError);
    const message = (error as Error).message;
    expect(message).toContain('bash scripts/install-system-deps.sh');
    expect(message).toContain('apt-get install --no-install-recommends prometheus prometheus-alertmanager');
    expect((error as MissingBinaryError).binaries).toHaveLength(4);
  });

  it('uses an override, and refuses one that is not executable', () => {
    // Prepare
    const fake = join(dir, 'alertmanager');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    const notExecutable = join(dir, 'prometheus');
    writeFileSync(notExecutable, '');

    // Act & Assess
    expect(findSystemBinaries({ ...process.env, ALERTMANAGER_BIN: fake }).alertmanager).toBe(fake);
    expect(() => findSystemBinaries({ ...process.env, PROMETHEUS_BIN: notExecutable })).toThrow(
      /PROMETHEUS_BIN=.* is not an executable file/,
    );
  });
});
