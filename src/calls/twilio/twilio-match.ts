import { CallsRepository } from '../calls.repository';
import { ProviderCall, TwilioVoiceClient } from './twilio-voice.client';

/**
 * Finding at Twilio what a request of ours created when its answer was lost (a retry, a crash, the
 * reconciliation): calls for CALL_CASE and RECONCILE_CALLS, messages for SMS_CASE.
 */

/** Clock skew allowed between our clock and Twilio's when matching a call or message to the request that made it. */
export const MATCH_SKEW_MS = 10_000;

/** The earliest creation time, on Twilio's clock, of what a request sent at `sentAt` (our clock) made. */
export function matchWindowStart(sentAt: Date): Date {
  return new Date(sentAt.getTime() - MATCH_SKEW_MS);
}

/**
 * The oldest candidate no other interaction holds: a call or a message belongs to one interaction
 * only. A candidate without a creation time counts as the oldest. The candidates are not reordered.
 */
export async function firstUnclaimed<T extends { sid: string; dateCreated: Date | null }>(candidates: readonly T[], claimed: (sid: string) => Promise<boolean>): Promise<T | null> {
  const oldestFirst = [...candidates].sort((a, b) => (a.dateCreated?.getTime() ?? 0) - (b.dateCreated?.getTime() ?? 0));
  for (const c of oldestFirst) if (!(await claimed(c.sid))) return c;
  return null;
}

/** A dial request as the interaction's evidence records it (dialedTo, dialedFrom, dialAttemptedAt). */
export interface DialRequest {
  to: string;
  from: string;
  at: Date;
}

/** The calls Twilio lists that `dial` may have made. Twilio's errors are thrown as its client throws them. */
export function callsOfDial(twilio: Pick<TwilioVoiceClient, 'findCallsSince'>, dial: DialRequest): Promise<ProviderCall[]> {
  return twilio.findCallsSince(dial.to, dial.from, matchWindowStart(dial.at));
}

/** Who holds which SID: the calls repository. */
export type SidRegistry = Pick<CallsRepository, 'sidClaimed'>;

/** The oldest of `candidates` whose SID no other interaction of the tenant holds. */
export function unclaimedCall(calls: SidRegistry, interaction: { id: string; tenant_id: string }, candidates: readonly ProviderCall[]): Promise<ProviderCall | null> {
  return firstUnclaimed(candidates, (sid) => calls.sidClaimed(interaction.tenant_id, sid, interaction.id));
}

/** The call `dial` made at Twilio for this interaction, or null: callsOfDial, then unclaimedCall. */
export async function findCallOfDial(twilio: Pick<TwilioVoiceClient, 'findCallsSince'>, calls: SidRegistry, interaction: { id: string; tenant_id: string }, dial: DialRequest): Promise<ProviderCall | null> {
  return unclaimedCall(calls, interaction, await callsOfDial(twilio, dial));
}
