/**
 * The API's risk tiers of a lease (pms_leases.risk_tier), by days past due. Its analytics (risk
 * concentration, top debtors) count only these values, so these exact words are written.
 */
export const RISK_TIERS = ['al_dia', 'bajo', 'medio', 'alto', 'critico'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export function riskTier(daysPastDue: number): RiskTier {
  if (!Number.isFinite(daysPastDue)) throw new Error(`riskTier: days past due must be a finite number, got ${daysPastDue}`);
  if (daysPastDue <= 0) return 'al_dia';
  if (daysPastDue <= 30) return 'bajo';
  if (daysPastDue <= 60) return 'medio';
  if (daysPastDue <= 90) return 'alto';
  return 'critico';
}
