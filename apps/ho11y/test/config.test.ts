import { describe, expect, it } from 'vitest';
import { deriveOtlpBaseUrl, loadConfig } from '../src/config.js';
import { Ho11yConfigError } from '../src/errors.js';

describe('Function: loadConfig', () => {
  it('applies the Go original defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 8765,
      host: undefined,
      logDestination: 'stderr',
      injectFailure: false,
      downstreams: [],
      cutoffTps: undefined,
      invalidCutoffTps: undefined,
      otlpEndpoint: undefined,
      otlpBaseUrl: undefined,
      serviceName: 'ho11y-svc',
      openMetrics: true,
      downstreamTimeoutMs: 30_000,
    });
  });

  it('reads HO11Y_PORT as the port of ":" + value; empty picks a free port', () => {
    expect(loadConfig({ HO11Y_PORT: '9000' }).port).toBe(9000);
    expect(loadConfig({ HO11Y_PORT: '' }).port).toBe(0);
    expect(loadConfig({ HO11Y_PORT: '0' }).port).toBe(0);
    expect(loadConfig({ HO11Y_HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('logs to stdout only for HO11Y_LOG_DEST=stdout; any other value means stderr', () => {
    expect(loadConfig({ HO11Y_LOG_DEST: 'stdout' }).logDestination).toBe('stdout');
    expect(loadConfig({ HO11Y_LOG_DEST: 'STDOUT' }).logDestination).toBe('stderr');
    expect(loadConfig({ HO11Y_LOG_DEST: 'file.log' }).logDestination).toBe('stderr');
    expect(loadConfig({ HO11Y_LOG_DEST: '' }).logDestination).toBe('stderr');
  });

  it('enables failure injection for any non-empty HO11Y_INJECT_FAILURE', () => {
    expect(loadConfig({ HO11Y_INJECT_FAILURE: 'enabled' }).injectFailure).toBe(true);
    expect(loadConfig({ HO11Y_INJECT_FAILURE: 'false' }).injectFailure).toBe(true);
    expect(loadConfig({ HO11Y_INJECT_FAILURE: '' }).injectFailure).toBe(false);
  });

  it('treats DISABLE_OM by presence: any value, even empty, disables OpenMetrics', () => {
    expect(loadConfig({ DISABLE_OM: 'on' }).openMetrics).toBe(false);
    expect(loadConfig({ DISABLE_OM: 'false' }).openMetrics).toBe(false);
    expect(loadConfig({ DISABLE_OM: '' }).openMetrics).toBe(false);
  });

  it('reads DOWNSTREAM0..4 in index order, skipping empty ones, ignoring DOWNSTREAM5', () => {
    const config = loadConfig({ DOWNSTREAM2: 'DUMMY:13kB:2ms', DOWNSTREAM0: 'http://downstream0', DOWNSTREAM1: '', DOWNSTREAM5: 'http://x' });
    expect(config.downstreams.map(({ index, spec }) => [index, spec.raw])).toEqual([
      [0, 'http://downstream0'],
      [2, 'DUMMY:13kB:2ms'],
    ]);
  });

  it('parses HO11Y_CUTOFF_TPS like strconv.Atoi and keeps an invalid value for the startup error', () => {
    expect(loadConfig({ HO11Y_CUTOFF_TPS: '10' }).cutoffTps).toBe(10);
    expect(loadConfig({ HO11Y_CUTOFF_TPS: '+3' }).cutoffTps).toBe(3);
    expect(loadConfig({ HO11Y_CUTOFF_TPS: '2.5' })).toMatchObject({ cutoffTps: undefined, invalidCutoffTps: '2.5' });
    expect(loadConfig({ HO11Y_CUTOFF_TPS: '' })).toMatchObject({ cutoffTps: undefined, invalidCutoffTps: '' });
  });

  it('names the service from OTEL_RESOURCE_ATTRIB and derives the OTLP/HTTP endpoint', () => {
    const config = loadConfig({ OTEL_RESOURCE_ATTRIB: 'frontend', OTEL_EXPORTER_OTLP_ENDPOINT: 'adot:4317' });
    expect(config).toMatchObject({ serviceName: 'frontend', otlpEndpoint: 'adot:4317', otlpBaseUrl: 'http://adot:4318' });
  });

  it('reads HO11Y_DOWNSTREAM_TIMEOUT as a Go duration', () => {
    expect(loadConfig({ HO11Y_DOWNSTREAM_TIMEOUT: '1.5s' }).downstreamTimeoutMs).toBe(1500);
  });

  it('reports every bad variable at once, each with how to fix it', () => {
    // Act
    let thrown: unknown;
    try {
      loadConfig({
        HO11Y_PORT: 'http',
        DOWNSTREAM0: 'DUMMY:1Kb:1ms',
        DOWNSTREAM3: 'DUMMY:1kB',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://adot:4317',
        HO11Y_DOWNSTREAM_TIMEOUT: '0s',
      });
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(Ho11yConfigError);
    const { problems, message } = thrown as Ho11yConfigError;
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^HO11Y_PORT="http": .*port number from 0 to 65535/);
    expect(problems[1]).toMatch(/^DOWNSTREAM0="DUMMY:1Kb:1ms": .*means bits.*write "KB"/);
    expect(problems[2]).toMatch(/^DOWNSTREAM3="DUMMY:1kB": .*DUMMY:<size>:<duration>/);
    expect(problems[3]).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT=.*http: or https:/);
    expect(problems[4]).toMatch(/^HO11Y_DOWNSTREAM_TIMEOUT="0s": it must be positive/);
    expect(message).toContain('Invalid ho11y configuration');
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig({ HO11Y_PORT: '70000' })).toThrow(/HO11Y_PORT="70000"/);
    expect(() => loadConfig({ HO11Y_PORT: '127.0.0.1:8765' })).toThrow(/HO11Y_HOST/);
  });
});

describe('Function: deriveOtlpBaseUrl', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['adot:4317', 'http://adot:4318'],
    ['adot-collector.adot-col:4317', 'http://adot-collector.adot-col:4318'],
    ['0.0.0.0:55680', 'http://0.0.0.0:55681'],
    ['collector:9999', 'http://collector:9999'],
    ['collector', 'http://collector:4318'],
    ['[::1]:4317', 'http://[::1]:4318'],
    ['http://adot:4318', 'http://adot:4318'],
    ['https://otlp.example.com/base/', 'https://otlp.example.com/base'],
  ])('maps %j to %j', (input, expected) => {
    expect(deriveOtlpBaseUrl(input)).toBe(expected);
  });

  it('rejects what is neither host:port nor an http(s) URL', () => {
    expect(() => deriveOtlpBaseUrl('adot:4317/v1')).toThrow(/neither host:port/);
    expect(() => deriveOtlpBaseUrl('grpc://adot:4317')).toThrow(/http: or https:/);
  });
});
