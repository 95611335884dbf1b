import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The SQL of the operator HTTP endpoints (metrics read from the shared tables). */
const OPS_SQL = {
  ping: `SELECT 1 AS ok`,
  /** latest completed run of every connection: its stats carry rows per table */
  latestCompletedRuns: `
    SELECT DISTINCT ON (r.pms_connection_id)
           r.pms_connection_id AS connection_id, s.key AS software, r.stats, r.started_at, r.finished_at
      FROM sync_runs r
      JOIN pms_connections c ON c.id = r.pms_connection_id
      JOIN softwares s ON s.id = c.software_id
     WHERE r.status = 'completed'
     ORDER BY r.pms_connection_id, r.finished_at DESC NULLS LAST`,
  callsByOutcome: `
    SELECT COALESCE(outcome::text, 'NONE') AS outcome, COALESCE(status, 'unknown') AS status, count(*)::int AS n
      FROM interaction_logs
     WHERE type = 'CALL'
     GROUP BY 1, 2`,
  /** SMS and email interactions by channel and status (sent, simulated, failed, canceled, queued) */
  messagesByStatus: `
    SELECT type::text AS channel, COALESCE(status, 'unknown') AS status, count(*)::int AS n
      FROM interaction_logs
     WHERE type::text IN ('SMS', 'EMAIL')
     GROUP BY 1, 2`,
  /** open cases currently held back, by the rule that holds them (debt_cases.meta.callHold.reason) */
  heldByRule: `
    SELECT meta->'callHold'->>'reason' AS reason, count(*)::int AS n
      FROM debt_cases
     WHERE closed_at IS NULL AND meta ? 'callHold' AND meta->'callHold'->>'reason' IS NOT NULL
     GROUP BY 1`,
} as const;

/** The latest completed run of a connection, with the stats that carry its rows per table. */
export interface CompletedRunRow {
  connection_id: string;
  software: string;
  stats: Record<string, unknown> | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface CallsByOutcomeRow {
  outcome: string;
  status: string;
  n: number;
}

export interface HeldByRuleRow {
  reason: string;
  n: number;
}

export interface MessagesByStatusRow {
  channel: string;
  status: string;
  n: number;
}

/** What /health and /metrics read from Postgres. */
@Injectable()
export class OpsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ping(): Promise<void> {
    await this.db.query(OPS_SQL.ping);
  }

  latestCompletedRuns(): Promise<CompletedRunRow[]> {
    return this.db.query<CompletedRunRow[]>(OPS_SQL.latestCompletedRuns);
  }

  callsByOutcome(): Promise<CallsByOutcomeRow[]> {
    return this.db.query<CallsByOutcomeRow[]>(OPS_SQL.callsByOutcome);
  }

  heldByRule(): Promise<HeldByRuleRow[]> {
    return this.db.query<HeldByRuleRow[]>(OPS_SQL.heldByRule);
  }

  messagesByStatus(): Promise<MessagesByStatusRow[]> {
    return this.db.query<MessagesByStatusRow[]>(OPS_SQL.messagesByStatus);
  }
}
