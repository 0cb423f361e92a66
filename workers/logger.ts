/**
 * The worker's log: the Temporal SDK's own lines (activity failures, workflow task trouble) as JSON,
 * with email addresses and ULNs masked in the message and in every metadata value: workflow ids
 * are `epa-<ULN>`, and SMTP errors may quote a recipient.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { withoutPersonalData } from '../src/redact';

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return withoutPersonalData(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Error) return { type: value.name, message: withoutPersonalData(value.message) };
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  return value;
}

export function redactedLogEntry(entry: LogEntry): Record<string, unknown> {
  return {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level,
    msg: withoutPersonalData(entry.message),
    ...(entry.meta && { meta: scrub(entry.meta) }),
  };
}

export function redactingLogger(
  level: LogLevel = 'INFO',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): DefaultLogger {
  return new DefaultLogger(level, (entry) => write(JSON.stringify(redactedLogEntry(entry))));
}
