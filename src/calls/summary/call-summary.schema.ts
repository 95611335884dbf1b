import { z } from 'zod';

/**
 * The call summary object in S3 (docs/queue-contract.md, call summary object): callSid, streamSid, startedAt, endedAt,
 * transcript (turns), events ({type, amount_cents, date, note}), final_state, outcome, summary.
 * Unknown extra fields are kept (the voice service may add some); a wrong type is an error that
 * names the field.
 */
export const SUMMARY_OUTCOMES = [
  'PROMISE_TO_PAY',
  'PARTIAL_PAYMENT',
  'REFUSED',
  'CALLBACK_REQUESTED',
  'DO_NOT_CALL',
  'WRONG_NUMBER',
  'NO_ANSWER',
  'UNKNOWN',
] as const;
export type SummaryOutcome = (typeof SUMMARY_OUTCOMES)[number];

const isoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO date-time' });
/** 'YYYY-MM-DD' or a full ISO date-time. */
const dateOrDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'must be a date (YYYY-MM-DD) or an ISO date-time',
});

export const summaryEvent = z.looseObject({
  type: z.string().min(1),
  amount_cents: z.number().int().nullable().optional(),
  date: dateOrDateTime.nullable().optional(),
  note: z.string().nullable().optional(),
});

const turn = z.union([z.string(), z.looseObject({})]);

export const callSummarySchema = z.looseObject({
  callSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio call SID (CA + 32 hex)'),
  streamSid: z.string().nullable().optional(),
  startedAt: isoDateTime,
  endedAt: isoDateTime,
  transcript: z.array(turn),
  events: z.array(summaryEvent),
  final_state: z.unknown().optional(),
  outcome: z.enum(SUMMARY_OUTCOMES),
  summary: z.string().nullable(),
});

export type CallSummary = z.infer<typeof callSummarySchema>;
export type SummaryEvent = z.infer<typeof summaryEvent>;

/** Parses JSON text; throws an Error whose message names every bad field (or says it is not JSON). */
export function parseCallSummary(text: string): CallSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`summary is not valid JSON (${(err as Error).message})`);
  }
  const r = callSummarySchema.safeParse(raw);
  if (!r.success) {
    const fields = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`summary is malformed: ${fields.join('; ')}`);
  }
  return r.data;
}

/** Transcript turns as text, one line per turn ("speaker: text"). */
export function transcriptText(turns: CallSummary['transcript']): string {
  return turns
    .map((t) => {
      if (typeof t === 'string') return t;
      const o = t as Record<string, unknown>;
      const who = o.role ?? o.speaker ?? o.from ?? o.who;
      const text = o.text ?? o.content ?? o.message ?? o.utterance;
      if (typeof text === 'string') return typeof who === 'string' ? `${who}: ${text}` : text;
      return JSON.stringify(o);
    })
    .join('\n');
}
