import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { SnsNotificationSchema, SnsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { z } from 'zod';
import { AlertParseError } from '../errors.js';
import type { AlertBatch } from '../model/alert.js';
import { describeIssues, parseAlertPayload, parseSnsMessage } from '../sources/parse-alerts.js';

/**
 * Powertools' SNS record schema, relaxed where the console's and the blog's test events use
 * placeholders (`"UnsubscribeUrl": "EXAMPLE"`): those fields are never used here.
 */
const LenientSnsRecordSchema = SnsRecordSchema.extend({
  Sns: SnsNotificationSchema.extend({
    UnsubscribeUrl: z.string().optional(),
    SigningCertUrl: z.string().optional(),
    Timestamp: z.string().optional(),
  }),
});
const LenientSnsEventSchema = z.object({ Records: z.array(LenientSnsRecordSchema).min(1) });
/** Powertools' EventBridge envelope; the alarm detail is validated by the CloudWatch parser. */
const LenientEventBridgeSchema = EventBridgeSchema.extend({ time: z.string(), version: z.string().optional(), id: z.string().optional() });

/** One unit of work from a Lambda event: an SNS record, or the whole EventBridge event. */
interface EventItem {
  /** `sns:<MessageId>` or `eventbridge:<id>`, for logs. */
  readonly id: string;
  readonly batch: AlertBatch;
}

/**
 * Splits a Lambda event into alert batches: every record of an SNS event (not just the first), an
 * EventBridge "CloudWatch Alarm State Change" event, or a payload invoked directly (Alertmanager,
 * generic). SNS messages in no known format are kept as text alerts.
 * @throws AlertParseError when the event is none of these
 */
function batchesFromLambdaEvent(event: unknown): EventItem[] {
  if (typeof event === 'object' && event !== null && 'Records' in event) {
    const result = LenientSnsEventSchema.safeParse(event);
    if (!result.success) throw new AlertParseError('Not a valid SNS event', describeIssues(result.error));
    return result.data.Records.map((record) => ({
      id: `sns:${record.Sns.MessageId}`,
      batch: parseSnsMessage(record.Sns.Message, { subject: record.Sns.Subject ?? null, topicArn: record.Sns.TopicArn }),
    }));
  }
  if (typeof event === 'object' && event !== null && 'detail-type' in event) {
    const envelope = LenientEventBridgeSchema.safeParse(event);
    if (!envelope.success) throw new AlertParseError('Not a valid EventBridge event', describeIssues(envelope.error));
    return [{ id: `eventbridge:${envelope.data.id ?? 'unknown'}`, batch: parseAlertPayload(event) }];
  }
  return [{ id: 'direct', batch: parseAlertPayload(event) }];
}

export { batchesFromLambdaEvent };
export type { EventItem };
