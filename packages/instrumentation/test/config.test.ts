import { describe, expect, it } from 'vitest';
import { resolveTelemetryConfig } from '../src/config.js';
import { TelemetryConfigurationError } from '../src/index.js';

describe('Function: resolveTelemetryConfig', () => {
  it('defaults to OpenTelemetry on the local collector when nothing is set', () => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, {});
    expect(config.backend).toBe('otel');
    expect(config.otlpTracesUrl).toBe('http://localhost:4318/v1/traces');
    expect(config.xrayDaemonAddress).toBe('127.0.0.1:2000');
    expect(config.sampleRatio).toBe(1);
    expect([...config.ignorePaths]).toEqual(['/metrics']);
  });

  it.each([
    [{ AWS_XRAY_DAEMON_ADDRESS: 'xray-service.default:2000' }, 'xray'],
    [{ AWS_XRAY_DAEMON_ADDRESS: 'xray-service.default:2000', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot:4318' }, 'both'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot:4318' }, 'otel'],
    [{ EKS_O11Y_TRACE_BACKEND: 'none', AWS_XRAY_DAEMON_ADDRESS: 'x:2000' }, 'none'],
  ])('picks the backend from the environment %o -> %s', (env, backend) => {
    expect(resolveTelemetryConfig({ serviceName: 'svc' }, env).backend).toBe(backend);
  });

  it.each([
    [{ OTEL_SDK_DISABLED: 'true' }, 'otel', 'none'],
    [{ OTEL_SDK_DISABLED: 'TRUE', AWS_XRAY_DAEMON_ADDRESS: 'x:2000', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot:4318' }, undefined, 'xray'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, 'both', 'xray'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, 'xray', 'xray'],
    [{ OTEL_SDK_DISABLED: 'false' }, 'otel', 'otel'],
  ] as const)('OpenTelemetry switched off by %o: backend %s becomes %s', (env, backend, expected) => {
    expect(resolveTelemetryConfig({ serviceName: 'svc', backend }, env).backend).toBe(expected);
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 0],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off', OTEL_TRACES_SAMPLER_ARG: '0.5' }, 0],
    [{ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '0.5' }, 1],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, 0.1],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio' }, 1],
  ])('reads OTEL_TRACES_SAMPLER %o -> ratio %s', (env, ratio) => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, env);
    expect(config.sampleRatio).toBe(ratio);
    expect(config.warnings).toEqual([]);
  });

  it('says once at startup which OpenTelemetry sampler or exporter it does not support, and what it does instead', () => {
    const config = resolveTelemetryConfig({ serviceName: 'svc' }, { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://jaeger:14250' });
    expect(config).toMatchObject({ backend: 'otel', sampleRatio: 1, sampleReservoirPerSecond: 0 });
    expect(config.warnings).toEqual([
      expect.stringContaining('OTEL_TRACES_EXPORTER names console'),
      expect.stringContaining('OTEL_TRACES_SAMPLER "jaeger_remote" is not supported; @eks-o11y/instrumentation records every trace instead'),
    ]);
    // An explicit ratio in code wins over the environment's sampler.
    expect(resolveTelemetryConfig({ serviceName: 'svc', sampleRatio: 0.3 }, { OTEL_TRACES_SAMPLER: 'always_off' }).sampleRatio).toBe(0.3);
  });

  it("takes ADOT's xray sampler, whose argument is an endpoint, as X-Ray's default rule (ADOT and Application Signals set it)", () => {
    const config = resolveTelemetryConfig(
      { serviceName: 'svc' },
      { OTEL_TRACES_SAMPLER: 'xray', OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://localhost:2000,polling_interval=300' },
    );
    expect(config).toMatchObject({ sampleRatio: 0.05, sampleReservoirPerSecond: 1 });
    expect(config.warnings).toEqual([expect.stringContaining("X-Ray's default rule instead (the first request a second, then 5 %)")]);
    // Options in code still decide, without a warning.
    const chosen = resolveTelemetryConfig({ serviceName: 'svc', sampleRatio: 1 }, { OTEL_TRACES_SAMPLER: 'xray', OTEL_TRACES_SAMPLER_ARG: 'endpoint=x' });
    expect(chosen).toMatchObject({ sampleRatio: 1, sampleReservoirPerSecond: 0, warnings: [] });
  });

  it('reads the service name, endpoints, ratio and resource attributes from the standard variables', () => {
    const config = resolveTelemetryConfig(
      {},
      {
        OTEL_SERVICE_NAME: 'frontend',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot-collector.adot:4318/',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_RESOURCE_ATTRIBUTES: 'k8s.namespace.name=ho11y,team=platform%20ops',
      },
    );
    expect(config.serviceName).toBe('frontend');
    expect(config.otlpTracesUrl).toBe('http://adot-collector.adot:4318/v1/traces');
    expect(config.sampleRatio).toBe(0.25);
    expect(config.resourceAttributes).toEqual({ 'k8s.namespace.name': 'ho11y', team: 'platform ops' });
  });

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, and options over the environment', () => {
    expect(resolveTelemetryConfig({ serviceName: 's' }, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' }).otlpTracesUrl).toBe(
      'http://c:4318/custom',
    );
    expect(resolveTelemetryConfig({ serviceName: 's', otlpEndpoint: 'http://mine:4318' }, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' }).otlpTracesUrl).toBe(
      'http://mine:4318/v1/traces',
    );
  });

  it.each([
    [{}, {}, 'serviceName', 'OTEL_SERVICE_NAME'],
    [{ serviceName: 's', backend: 'jaeger' as never }, {}, 'backend', 'otel, xray, both, none'],
    [{ serviceName: 's' }, { EKS_O11Y_TRACE_BACKEND: 'zipkin' }, 'EKS_O11Y_TRACE_BACKEND', 'zipkin'],
    [{ serviceName: 's', sampleRatio: 1.5 }, {}, 'sampleRatio', 'from 0'],
    [{ serviceName: 's' }, { OTEL_TRACES_SAMPLER_ARG: 'half' }, 'OTEL_TRACES_SAMPLER_ARG', 'half'],
    [{ serviceName: 's', latencyBuckets: [1, 0.5] }, {}, 'latencyBuckets', 'increasing'],
    [{ serviceName: 's', maxRoutes: 0 }, {}, 'maxRoutes', 'positive integer'],
    [{ serviceName: 's' }, { OTEL_RESOURCE_ATTRIBUTES: 'oops' }, 'OTEL_RESOURCE_ATTRIBUTES', 'key1=value1'],
  ])('rejects %o / %o with an error naming %s and the fix', (options, env, setting, hint) => {
    let caught: unknown;
    try {
      resolveTelemetryConfig(options, env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TelemetryConfigurationError);
    expect((caught as TelemetryConfigurationError).setting).toBe(setting);
    expect((caught as Error).message).toContain(hint);
  });
});
