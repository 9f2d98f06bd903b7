import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { MissingBinaryError } from './errors.js';

/** Absolute paths of the Prometheus and Alertmanager binaries the loop runs. */
interface SystemBinaries {
  readonly prometheus: string;
  readonly promtool: string;
  readonly alertmanager: string;
  readonly amtool: string;
}

/** The command that installs every missing binary (Debian/Ubuntu; CI runs the same script). */
const INSTALL_COMMAND = 'bash scripts/install-system-deps.sh';

/**
 * Where each binary is looked for: an environment variable that overrides the search, then the
 * names on PATH. Debian names Alertmanager `prometheus-alertmanager`; upstream tarballs and
 * Homebrew call it `alertmanager`.
 */
const BINARY_SEARCH = {
  prometheus: { env: 'PROMETHEUS_BIN', names: ['prometheus'], debianPackage: 'prometheus' },
  promtool: { env: 'PROMTOOL_BIN', names: ['promtool'], debianPackage: 'prometheus' },
  alertmanager: {
    env: 'ALERTMANAGER_BIN',
    names: ['prometheus-alertmanager', 'alertmanager'],
    debianPackage: 'prometheus-alertmanager',
  },
  amtool: { env: 'AMTOOL_BIN', names: ['amtool'], debianPackage: 'prometheus-alertmanager' },
} as const;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchPath(names: readonly string[], pathVariable: string): string | undefined {
  for (const name of names) {
    for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Finds Prometheus, promtool, Alertmanager and amtool, or throws one {@link MissingBinaryError}
 * naming every missing binary and the exact command that installs them.
 *
 * @param env - environment to read overrides (`PROMETHEUS_BIN`, `ALERTMANAGER_BIN`, ...) and PATH from
 * @example
 * ```ts
 * const { prometheus } = findSystemBinaries();
 * ```
 */
function findSystemBinaries(env: NodeJS.ProcessEnv = process.env): SystemBinaries {
  const found: Partial<Record<keyof SystemBinaries, string>> = {};
  const problems: string[] = [];
  const packages = new Set<string>();
  for (const [key, search] of Object.entries(BINARY_SEARCH) as [keyof SystemBinaries, (typeof BINARY_SEARCH)[keyof SystemBinaries]][]) {
    const override = env[search.env];
    if (override) {
      if (isAbsolute(override) && isExecutable(override)) {
        found[key] = override;
      } else {
        problems.push(`${search.env}=${override} is not an executable file (give an absolute path, or unset it to search PATH)`);
      }
      continue;
    }
    const onPath = searchPath(search.names, env.PATH ?? '');
    if (onPath) {
      found[key] = onPath;
    } else {
      problems.push(`${search.names.join(' or ')} not found on PATH (Debian package ${search.debianPackage})`);
      packages.add(search.debianPackage);
    }
  }
  if (problems.length > 0) {
    const install =
      packages.size > 0
        ? `\nInstall them from the repository root with:\n  ${INSTALL_COMMAND}\n` +
          `(it runs: sudo apt-get install --no-install-recommends ${[...packages].join(' ')}).\n` +
          'Elsewhere, install Prometheus >= 2.42 and Alertmanager >= 0.25 and set PROMETHEUS_BIN, PROMTOOL_BIN, ' +
          'ALERTMANAGER_BIN and AMTOOL_BIN to their absolute paths.'
        : '';
    throw new MissingBinaryError(
      problems,
      `The local alert loop needs the real Prometheus and Alertmanager:\n  - ${problems.join('\n  - ')}${install}`,
    );
  }
  return found as SystemBinaries;
}

export { findSystemBinaries, INSTALL_COMMAND };
export type { SystemBinaries };
