import type { DataSource, EntityManager } from 'typeorm';
import type { Logger as PinoInstance } from 'pino';
import { CALL_RULE_INPUTS_SQL, callRuleInputParams, callRuleInputsByCase } from '../calls/rules';
import {
  ACTIVE_TEMPLATES_SQL,
  CLAIM_DUE_STATES_SQL,
  COLLECTIONS_TABLES_EXIST_SQL,
  DUE_STATE_IDS_SQL,
  INSERT_EVENTS_SQL,
  RECOMPUTE_STAGES_SQL,
  TOUCH_AUTOMATIONS_SQL,
  UPDATE_STATES_SQL,
} from './collections.sql';
import { execute } from '../database/sql';
import { ActionRow, ActiveTemplate, decide, Decision, DueState, EventRow, TICK_INTERVAL_MS } from './tick-decision';

export interface TickOptions {
  /** states claimed per transaction */
  batchSize: number;
  /** the tick stops claiming new batches after this long; the rest is due at the next tick */
  budgetMs: number;
}

export const DEFAULT_TICK_OPTIONS: TickOptions = { batchSize: 2000, budgetMs: 10 * 60_000 };

export interface TickResult {
  at: string;
  stagesRecomputed: number;
  batches: number;
  claimed: number;
  /** states with at least one job enqueued */
  dispatched: number;
  /** jobs enqueued per job name */
  jobs: Record<string, number>;
  /** states not dispatched, by reason */
  skipped: Record<string, number>;
  events: number;
  automations: number;
  /** the time budget ended the tick with states still due */
  budgetExhausted: boolean;
  durationMs: number;
  /** where the time went (ms): claim, rule inputs, decisions, enqueue, writes */
  phasesMs: Record<'recompute' | 'claim' | 'inputs' | 'decide' | 'enqueue' | 'write', number>;
}

/** Enqueues one batch of case actions atomically (BullMQ addBulk); duplicates of an id are ignored. */
export type EnqueueActions = (actions: ActionRow[]) => Promise<unknown>;

interface ClaimRow {
  state_id: string;
  case_id: string;
  automation_id: string;
  tenant_id: string;
  stage_id: string | null;
  last_attempt_at: Date | null;
  attempts_week_count: number;
  promise_due_date: string | null;
  last_outcome: string | null;
  cooldown_hours: number | null;
  max_attempts_per_week: number | null;
  allowed_time_window: string | null;
  stop_on_promise: boolean | null;
  stop_on_payment: boolean | null;
  channels: Record<string, unknown> | null;
  stage_rules: Record<string, unknown> | null;
  case_status: string;
  approval_status: string | null;
  closed_at: Date | null;
}

const toState = (r: ClaimRow): DueState => ({
  stateId: r.state_id,
  caseId: r.case_id,
  automationId: r.automation_id,
  tenantId: r.tenant_id,
  stageId: r.stage_id,
  lastAttemptAt: r.last_attempt_at,
  attemptsWeekCount: Number(r.attempts_week_count),
  promiseDueDate: r.promise_due_date,
  lastOutcome: r.last_outcome,
  cooldownHours: r.cooldown_hours,
  maxAttemptsPerWeek: r.max_attempts_per_week,
  allowedTimeWindow: r.allowed_time_window,
  stopOnPromise: r.stop_on_promise,
  stopOnPayment: r.stop_on_payment,
  channels: r.channels,
  stageRules: r.stage_rules,
  caseStatus: r.case_status,
  approvalStatus: r.approval_status,
  closedAt: r.closed_at,
});

/**
 * One collection tick over every active automation, set-based:
 * 1. the stage of every state from its case's days past due (one UPDATE);
 * 2. the due states of every active automation, earliest first (one sorted read of their ids), claimed
 *    in batches by id with FOR UPDATE SKIP LOCKED, each batch in its own transaction (a concurrent tick
 *    takes other rows, and finds these moved forward);
 * 3. per state the strategy, approval, disputes and the channel's rules (tick-decision.ts), with the
 *    call-rule inputs of the whole batch in one query;
 * 4. the batch's jobs in one addBulk (deterministic ids), its events in one INSERT, its states in one
 *    UPDATE; then the transaction commits. Jobs go first: if the commit fails, the same slot's ids make
 *    a re-run add nothing.
 * Batches continue until nothing is due or the time budget is spent: no fixed per-automation cap.
 */
export class CollectionTickEngine {
  constructor(
    private readonly db: DataSource,
    private readonly enqueue: EnqueueActions,
    private readonly opts: TickOptions = DEFAULT_TICK_OPTIONS,
    private readonly log?: PinoInstance,
  ) {}

  async run(now: Date = new Date()): Promise<TickResult> {
    const started = Date.now();
    const result: TickResult = { at: now.toISOString(), stagesRecomputed: 0, batches: 0, claimed: 0, dispatched: 0, jobs: {}, skipped: {}, events: 0, automations: 0, budgetExhausted: false, durationMs: 0, phasesMs: { recompute: 0, claim: 0, inputs: 0, decide: 0, enqueue: 0, write: 0 } };
    const [exists] = (await this.db.query(COLLECTIONS_TABLES_EXIST_SQL)) as { ok: boolean }[];
    if (!exists?.ok) {
      this.log?.info('collection tick: the collections tables do not exist (the API has not created them): nothing to do');
      result.durationMs = Date.now() - started;
      return result;
    }
    result.stagesRecomputed = (await execute(this.db, RECOMPUTE_STAGES_SQL, [now.toISOString()])).rowCount;
    result.phasesMs.recompute = Date.now() - started;
    const templates = new Map<string, ActiveTemplate[]>();

    // Due ids in snapshots of up to 50 batches, each cut into batches claimed by id. A snapshot in which
    // nothing could be claimed (all taken by a concurrent tick) ends the tick: those are that tick's.
    const snapshotSize = this.opts.batchSize * 50;
    snapshots: for (;;) {
      const t = Date.now();
      const ids = ((await this.db.query(DUE_STATE_IDS_SQL, [now.toISOString(), snapshotSize])) as { id: string }[]).map((r) => r.id);
      result.phasesMs.claim += Date.now() - t;
      let claimedInSnapshot = 0;
      for (let i = 0; i < ids.length; i += this.opts.batchSize) {
        if (Date.now() - started > this.opts.budgetMs) {
          result.budgetExhausted = true;
          break snapshots;
        }
        const chunk = ids.slice(i, i + this.opts.batchSize);
        const claimed = await this.db.transaction((m) => this.batch(m, now, chunk, templates, result));
        if (claimed > 0) result.batches++;
        claimedInSnapshot += claimed;
      }
      if (ids.length < snapshotSize || claimedInSnapshot === 0) break;
    }

    const touched = await execute(this.db, TOUCH_AUTOMATIONS_SQL, [now.toISOString(), new Date(now.getTime() + TICK_INTERVAL_MS).toISOString()]);
    result.automations = touched.rowCount;
    result.durationMs = Date.now() - started;
    return result;
  }

  private async batch(m: EntityManager, now: Date, ids: string[], templateCache: Map<string, ActiveTemplate[]>, result: TickResult): Promise<number> {
    const ph = result.phasesMs;
    let mark = Date.now();
    const lap = (k: keyof TickResult['phasesMs']) => {
      const t = Date.now();
      ph[k] += t - mark;
      mark = t;
    };
    const rows = (await m.query(CLAIM_DUE_STATES_SQL, [now.toISOString(), this.opts.batchSize, ids])) as ClaimRow[];
    lap('claim');
    if (rows.length === 0) return 0;
    const states = rows.map(toState);
    const inputs = callRuleInputsByCase(await m.query(CALL_RULE_INPUTS_SQL, callRuleInputParams([...new Set(states.map((s) => s.caseId))], now)));

    const missingTenants = [...new Set(states.map((s) => s.tenantId))].filter((t) => !templateCache.has(t));
    if (missingTenants.length > 0) {
      for (const t of missingTenants) templateCache.set(t, []);
      const tpl = (await m.query(ACTIVE_TEMPLATES_SQL, [missingTenants])) as { id: string; tenant_id: string; channel: string }[];
      for (const r of tpl) templateCache.get(r.tenant_id)!.push({ id: r.id, tenantId: r.tenant_id, channel: r.channel });
    }

    lap('inputs');
    const decisions: [DueState, Decision][] = states.map((s) => [s, decide(s, inputs.get(s.caseId), now, templateCache.get(s.tenantId) ?? [])]);
    const actions = decisions.flatMap(([, d]) => d.actions);
    const events: EventRow[] = decisions.flatMap(([, d]) => d.events);
    lap('decide');

    if (actions.length > 0) await this.enqueue(actions);
    lap('enqueue');
    if (events.length > 0) {
      await m.query(INSERT_EVENTS_SQL, [
        events.map((e) => e.automationId),
        events.map((e) => e.caseId),
        events.map((e) => e.channel),
        events.map((e) => e.eventType),
        events.map((e) => JSON.stringify(e.payload)),
        now.toISOString(),
      ]);
    }
    await m.query(UPDATE_STATES_SQL, [
      decisions.map(([s]) => s.stateId),
      decisions.map(([, d]) => d.nextActionAt.toISOString()),
      decisions.map(([, d]) => d.attempts),
      decisions.map(([, d]) => d.outcome),
      decisions.map(([, d]) => d.attempted),
      now.toISOString(),
    ]);
    lap('write');

    result.claimed += states.length;
    result.events += events.length;
    for (const a of actions) result.jobs[a.name] = (result.jobs[a.name] ?? 0) + 1;
    for (const [, d] of decisions) {
      if (d.actions.length > 0) result.dispatched++;
      else {
        const reason = d.skipped ?? 'unknown';
        result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
      }
    }
    return states.length;
  }
}
