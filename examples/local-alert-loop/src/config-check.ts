import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InvalidConfigError } from './errors.js';

const run = promisify(execFile);

/** Output of a successful check, for the run folder and the tests. */
interface ConfigCheckResult {
  readonly file: string;
  readonly output: string;
}

async function check(tool: string, args: readonly string[], file: string): Promise<ConfigCheckResult> {
  try {
    const { stdout, stderr } = await run(tool, [...args, file], { timeout: 20_000 });
    return { file, output: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || String(error);
    throw new InvalidConfigError(file, `${tool} ${args.join(' ')} rejected ${file}:\n${output}`, { cause: error });
  }
}

/**
 * Runs `promtool check config` (which also checks every rule file the config names).
 * @throws InvalidConfigError with promtool's explanation
 */
function checkPrometheusConfig(promtool: string, file: string): Promise<ConfigCheckResult> {
  return check(promtool, ['check', 'config'], file);
}

/**
 * Runs `promtool check rules` on a rule file (Prometheus rule_files format, which is also the
 * AMP rule groups namespace format).
 * @throws InvalidConfigError with promtool's explanation
 */
function checkPrometheusRules(promtool: string, file: string): Promise<ConfigCheckResult> {
  return check(promtool, ['check', 'rules'], file);
}

/**
 * Runs `amtool check-config`.
 * @throws InvalidConfigError with amtool's explanation
 */
function checkAlertmanagerConfig(amtool: string, file: string): Promise<ConfigCheckResult> {
  return check(amtool, ['check-config'], file);
}

export { checkPrometheusConfig, checkPrometheusRules, checkAlertmanagerConfig };
export type { ConfigCheckResult };
