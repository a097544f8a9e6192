import { context, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { describeError, redactSecrets, type Logger } from './logger';

/**
 * Traces with @opentelemetry/api. Spans are no-ops until a tracer provider is registered:
 * `startTracing` registers the SDK's tracer provider with an OTLP exporter when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, and nothing otherwise. No attribute ever holds a key, a
 * token, a query's text or its variables: key ids, codes, operation names and types only.
 */
export const tracer = trace.getTracer('pulze-api-keys');

export interface TracingSettings {
  /** OTLP/HTTP (protobuf) collector base URL; spans go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string;
  serviceName: string;
}

/**
 * Starts tracing when an endpoint is configured: the SDK's tracer provider with a batching OTLP
 * exporter, and an AsyncLocalStorage context so spans started inside another nest under it. Without
 * an endpoint nothing is loaded and spans stay no-ops. Traces only: metrics stay with Prometheus
 * (METRICS_PORT). Resolves with a function that flushes the last spans and stops.
 */
export async function startTracing(settings: TracingSettings, logger: Logger): Promise<() => Promise<void>> {
  if (!settings.otlpEndpoint) return async () => {};
  const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { defaultResource, resourceFromAttributes }, { AsyncLocalStorageContextManager }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-proto'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/context-async-hooks'),
    ]);
  const url = new URL('v1/traces', settings.otlpEndpoint.endsWith('/') ? settings.otlpEndpoint : `${settings.otlpEndpoint}/`).toString();
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  logger.info({ traces: url }, 'OpenTelemetry traces are exported');
  return async () => {
    try {
      await provider.shutdown();
    } catch (error) {
      logger.warn(describeError(error), 'traces could not be flushed');
    }
  };
}

/** What a verification answers, as far as its span is concerned. */
interface VerificationOutcome {
  code: string;
  keyId?: string | null;
}

/**
 * One span per key verification (`pulze.verify_key`), from either path: the code it answered
 * and, for a key it found, the key's id. Never the key.
 */
export function traceVerification<T extends VerificationOutcome>(path: 'http' | 'graphql', verify: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan('pulze.verify_key', { attributes: { 'pulze.verification.path': path } });
  // Without a tracer provider the span records nothing: the hot path skips the context and the wrapping.
  if (!span.isRecording()) return verify();
  return context.with(trace.setSpan(context.active(), span), async () => {
    try {
      const result = await verify();
      const attributes: Attributes = { 'pulze.verification.code': result.code };
      if (result.keyId) attributes['pulze.key.id'] = result.keyId;
      span.setAttributes(attributes);
      return result;
    } catch (error) {
      // The error's type only: a message may carry anything the failure saw.
      span.setAttribute('error.type', describeError(error).type);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** An operation name as an attribute: a name shaped like a key is redacted like in the logs. */
export const safeName = (name: string): string => redactSecrets(name);
