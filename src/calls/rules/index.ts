export * from './call-rules.types';
export {
  evaluateCallRules,
  weeklyLimitReleaseAt,
  countAttemptsInWindow,
  conversationReleaseAt,
  ATTEMPT_LIMIT,
  ATTEMPT_WINDOW_MS,
  CONVERSATION_OUTCOMES,
  OPEN_DISPUTE_STATUSES,
  CALL_IN_PROGRESS_RETRY_MS,
  MIN_CALL_SPACING_MS,
  spacingReleaseAt,
} from './call-rules';
export {
  resolveTimezones,
  zonesForAreaCode,
  zonesForState,
  zonesForPostalCode,
  zonesForCountry,
  zonesForZoneName,
  contactWindowCheck,
  nextContactMoment,
  callMarginSeconds,
  nextLawfulMoment,
  inWindow,
  localIso,
  isValidZone,
  WINDOW_START_MINUTES,
  WINDOW_END_MINUTES,
} from './timezones';
export type { ZoneCandidate, ResolvedTimezones, TimezoneInputs, ContactChannel, ContactWindowInput, ContactWindowResult } from './timezones';
export { normalizeUsState, US_STATE_ZONES } from './data/us-state-zones';
export { AREA_CODE_ZONES, NON_GEOGRAPHIC_AREA_CODES, AREA_CODE_SOURCE } from './data/nanp-area-code-zones';
export { US_ZIP_ZONES_SOURCE } from './data/us-zip-zones';
export { CallRulesLoader, callRuleInputsByCase, loadCallRuleInputs } from './call-rules.loader';
export { CallRulesModule } from './call-rules.module';
export { CALL_RULE_INPUTS_SQL, callRuleInputParams } from './call-rules.queries';
export type { CallRuleInputRow } from './call-rules.queries';
