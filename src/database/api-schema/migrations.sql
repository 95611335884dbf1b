-- The Mordecai API's database schema, variant 'migrations' (generated fixture: do not edit).
-- API commit: e62825f5a65663513c0a4e400fdd5c78dc8cde75
-- Generated: 2026-12-01T10:49:59Z by scripts/api-schema/build-fixtures.sh
-- How: the API's migrations/*.sql applied in file-name order with psql (000_rollback_all.sql skipped; both 055 files, 055_add_ first). The API's loader on top of it, run by this script on copies: DB_SYNC_MODE=alter FAILED: cannot cast type tenant_status to enum_tenants_status; DB_SYNC_MODE=true (sync without alter) FAILED: column "pms_lease_id" does not exist.
-- Dumped with: pg_dump --schema-only --no-owner --no-privileges (15.20);
--   psql meta-commands and session SET / set_config lines removed.

--
-- PostgreSQL database dump
--

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

--
-- Name: debt_case_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.debt_case_status AS ENUM (
    'NEW',
    'IN_PROGRESS',
    'CONTACTED',
    'PROMISE_TO_PAY',
    'PAYMENT_PLAN',
    'PAID',
    'NO_ANSWER',
    'REFUSED',
    'INVALID_CONTACT'
);

--
-- Name: enum_case_disputes_reason; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_case_disputes_reason AS ENUM (
    'PAID_ALREADY',
    'WRONG_AMOUNT',
    'WRONG_DEBTOR',
    'LEASE_ENDED',
    'UNDER_LEGAL_REVIEW',
    'PROMISE_OFFLINE',
    'DO_NOT_CONTACT',
    'OTHER'
);

--
-- Name: enum_case_disputes_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_case_disputes_status AS ENUM (
    'OPEN',
    'WAITING_TENANT',
    'WAITING_DEBTOR',
    'RESOLVED',
    'CLOSED'
);

--
-- Name: import_batch_source; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.import_batch_source AS ENUM (
    'XLSX',
    'ERP'
);

--
-- Name: import_batch_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.import_batch_status AS ENUM (
    'PENDING',
    'PROCESSING',
    'COMPLETED',
    'FAILED'
);

--
-- Name: interaction_log_direction; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.interaction_log_direction AS ENUM (
    'OUTBOUND',
    'INBOUND'
);

--
-- Name: interaction_log_outcome; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.interaction_log_outcome AS ENUM (
    'CONNECTED',
    'NO_ANSWER',
    'VOICEMAIL',
    'FAILED',
    'PROMISE_TO_PAY',
    'PAYMENT_PLAN',
    'PAID',
    'REFUSED',
    'CALLBACK_REQUESTED'
);

--
-- Name: interaction_log_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.interaction_log_type AS ENUM (
    'CALL',
    'SMS',
    'EMAIL'
);

--
-- Name: payment_agreement_created_by; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.payment_agreement_created_by AS ENUM (
    'AI',
    'USER',
    'SYSTEM'
);

--
-- Name: payment_agreement_provider; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.payment_agreement_provider AS ENUM (
    'STRIPE',
    'NONE'
);

--
-- Name: payment_agreement_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.payment_agreement_status AS ENUM (
    'PROPOSED',
    'ACCEPTED',
    'CANCELLED',
    'COMPLETED',
    'BROKEN'
);

--
-- Name: payment_agreement_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.payment_agreement_type AS ENUM (
    'PROMISE_TO_PAY',
    'INSTALLMENTS'
);

--
-- Name: payment_link_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.payment_link_status AS ENUM (
    'PENDING',
    'VERIFIED',
    'PAID',
    'EXPIRED',
    'BLOCKED'
);

--
-- Name: payment_link_verification_method; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.payment_link_verification_method AS ENUM (
    'LEASE_DATA',
    'OTP'
);

--
-- Name: tenant_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.tenant_status AS ENUM (
    'active',
    'inactive'
);

--
-- Name: generate_case_public_id(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.generate_case_public_id() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  new_id TEXT;
BEGIN
  IF NEW.case_public_id IS NULL OR NEW.case_public_id = '' THEN
    LOOP
      new_id := 'MC-' || UPPER(SUBSTRING(MD5(RANDOM()::TEXT || NEW.id::TEXT) FROM 1 FOR 6));
      IF NOT EXISTS (SELECT 1 FROM debt_cases WHERE case_public_id = new_id) THEN
        NEW.case_public_id := new_id;
        EXIT;
      END IF;
    END LOOP;
  END IF;
  RETURN NEW;
END;
$$;

--
-- Name: update_updated_at_column(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

--
-- Name: ar_adjustments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_adjustments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    pms_lease_id uuid,
    external_id character varying(256),
    adjustment_type character varying(64),
    amount_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    applied_at timestamp with time zone,
    description text,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: ar_aging_snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_aging_snapshots (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    as_of_date date NOT NULL,
    total_cents bigint DEFAULT 0 NOT NULL,
    bucket_0_30_cents bigint DEFAULT 0 NOT NULL,
    bucket_31_60_cents bigint DEFAULT 0 NOT NULL,
    bucket_61_90_cents bigint DEFAULT 0 NOT NULL,
    bucket_90_plus_cents bigint DEFAULT 0 NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: ar_balances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_balances (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    pms_lease_id uuid NOT NULL,
    balance_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    as_of_date date NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: ar_charges; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_charges (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    pms_lease_id uuid NOT NULL,
    external_id character varying(256) NOT NULL,
    charge_type character varying(64),
    amount_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    due_date date NOT NULL,
    post_date date,
    description text,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    open_amount_cents bigint
);

--
-- Name: COLUMN ar_charges.open_amount_cents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.ar_charges.open_amount_cents IS 'Remaining balance for this charge from PMS; null if not provided (we derive from payments)';

--
-- Name: ar_payments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_payments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    pms_lease_id uuid,
    external_id character varying(256) NOT NULL,
    amount_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    paid_at timestamp with time zone NOT NULL,
    payment_method character varying(64),
    applied_to_charges jsonb DEFAULT '[]'::jsonb,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: case_automation_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_automation_state (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    debt_case_id uuid NOT NULL,
    automation_id uuid NOT NULL,
    strategy_id uuid NOT NULL,
    current_stage_id uuid,
    status character varying(32) DEFAULT 'active'::character varying NOT NULL,
    next_action_at timestamp with time zone,
    last_attempt_at timestamp with time zone,
    attempts_week_count integer DEFAULT 0,
    promise_due_date date,
    last_outcome character varying(64),
    last_outcome_at timestamp with time zone,
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT case_automation_state_status_check CHECK (((status)::text = ANY ((ARRAY['active'::character varying, 'paused'::character varying, 'closed'::character varying])::text[])))
);

--
-- Name: case_disputes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_disputes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    debt_case_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    status character varying(32) DEFAULT 'OPEN'::character varying NOT NULL,
    reason character varying(64) NOT NULL,
    notes text,
    evidence_urls jsonb DEFAULT '[]'::jsonb,
    opened_by uuid,
    opened_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    resolved_by uuid,
    resolved_at timestamp with time zone,
    resolution text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT case_disputes_reason_check CHECK (((reason)::text = ANY ((ARRAY['PAID_ALREADY'::character varying, 'WRONG_AMOUNT'::character varying, 'WRONG_DEBTOR'::character varying, 'LEASE_ENDED'::character varying, 'UNDER_LEGAL_REVIEW'::character varying, 'PROMISE_OFFLINE'::character varying, 'DO_NOT_CONTACT'::character varying, 'OTHER'::character varying])::text[]))),
    CONSTRAINT case_disputes_status_check CHECK (((status)::text = ANY ((ARRAY['OPEN'::character varying, 'WAITING_TENANT'::character varying, 'WAITING_DEBTOR'::character varying, 'RESOLVED'::character varying, 'CLOSED'::character varying])::text[])))
);

--
-- Name: TABLE case_disputes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.case_disputes IS 'Case holds: stops automation when OPEN. Reasons: paid, wrong amount, do not contact, etc.';

--
-- Name: collection_automations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_automations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    strategy_id uuid NOT NULL,
    status character varying(32) DEFAULT 'active'::character varying NOT NULL,
    started_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    paused_at timestamp with time zone,
    last_evaluated_at timestamp with time zone,
    next_tick_at timestamp with time zone,
    stats jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    approval_mode character varying(32) DEFAULT 'AUTO'::character varying,
    approval_rules jsonb DEFAULT '{}'::jsonb,
    CONSTRAINT collection_automations_approval_mode_check CHECK (((approval_mode)::text = ANY ((ARRAY['AUTO'::character varying, 'REQUIRE_APPROVAL'::character varying, 'HYBRID'::character varying])::text[]))),
    CONSTRAINT collection_automations_status_check CHECK (((status)::text = ANY ((ARRAY['active'::character varying, 'paused'::character varying, 'stopped'::character varying])::text[])))
);

--
-- Name: collection_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    automation_id uuid NOT NULL,
    debt_case_id uuid,
    channel character varying(32),
    event_type character varying(64) NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: collection_stages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_stages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    strategy_id uuid NOT NULL,
    name character varying(120) NOT NULL,
    min_days_past_due integer NOT NULL,
    max_days_past_due integer,
    channels jsonb DEFAULT '{}'::jsonb,
    tone character varying(40) DEFAULT 'professional'::character varying,
    rules jsonb DEFAULT '{}'::jsonb,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    messaging_config jsonb DEFAULT '{}'::jsonb,
    CONSTRAINT chk_stage_range CHECK (((max_days_past_due IS NULL) OR (min_days_past_due <= max_days_past_due)))
);

--
-- Name: COLUMN collection_stages.messaging_config; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.collection_stages.messaging_config IS 'References: smsTemplateId, emailTemplateId, attachmentIds[]';

--
-- Name: collection_strategies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_strategies (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name character varying(120) NOT NULL,
    description text,
    is_active boolean DEFAULT true,
    global_rules jsonb DEFAULT '{}'::jsonb,
    max_attempts_per_week integer,
    cooldown_hours integer,
    allowed_time_window character varying(64),
    stop_on_promise boolean DEFAULT true,
    stop_on_payment boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: debt_cases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.debt_cases (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    debtor_id uuid NOT NULL,
    flow_policy_id uuid,
    import_batch_id uuid,
    amount_due_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    days_past_due integer NOT NULL,
    due_date date,
    status public.debt_case_status DEFAULT 'NEW'::public.debt_case_status,
    last_contacted_at timestamp with time zone,
    next_action_at timestamp with time zone,
    payment_link_url text,
    meta jsonb DEFAULT '{}'::jsonb,
    closed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    case_public_id character varying(16),
    approval_status character varying(32) DEFAULT 'APPROVED'::character varying,
    CONSTRAINT debt_cases_approval_status_check CHECK (((approval_status)::text = ANY ((ARRAY['PENDING_APPROVAL'::character varying, 'APPROVED'::character varying, 'REJECTED'::character varying, 'EXCLUDED'::character varying])::text[])))
);

--
-- Name: COLUMN debt_cases.case_public_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.debt_cases.case_public_id IS 'Short public ID (e.g. MC-4F2K9Q) for memo/reference. Recommended over full UUID in debtor-facing display.';

--
-- Name: debtors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.debtors (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    external_ref character varying(128),
    full_name character varying(160) NOT NULL,
    email character varying(160),
    phone character varying(40),
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: external_mappings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.external_mappings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pms_connection_id uuid NOT NULL,
    entity_type character varying(64) NOT NULL,
    external_id character varying(256) NOT NULL,
    internal_entity_type character varying(64) NOT NULL,
    internal_id uuid NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: flow_policies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.flow_policies (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name character varying(120) NOT NULL,
    min_days_past_due integer NOT NULL,
    max_days_past_due integer,
    channels jsonb DEFAULT '{}'::jsonb,
    tone character varying(40) DEFAULT 'professional'::character varying,
    rules jsonb DEFAULT '{}'::jsonb,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: import_batches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.import_batches (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    source public.import_batch_source DEFAULT 'XLSX'::public.import_batch_source,
    file_key character varying(512),
    status public.import_batch_status DEFAULT 'PENDING'::public.import_batch_status,
    total_rows integer DEFAULT 0,
    success_rows integer DEFAULT 0,
    error_rows integer DEFAULT 0,
    errors jsonb DEFAULT '[]'::jsonb,
    processed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: interaction_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.interaction_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    debt_case_id uuid NOT NULL,
    debtor_id uuid NOT NULL,
    type public.interaction_log_type NOT NULL,
    direction public.interaction_log_direction DEFAULT 'OUTBOUND'::public.interaction_log_direction,
    channel_provider character varying(60),
    provider_ref character varying(160),
    status character varying(40) DEFAULT 'queued'::character varying,
    outcome public.interaction_log_outcome,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    transcript text,
    summary text,
    ai_data jsonb DEFAULT '{}'::jsonb,
    error jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: payment_agreements; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_agreements (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    debt_case_id uuid NOT NULL,
    type public.payment_agreement_type NOT NULL,
    status public.payment_agreement_status DEFAULT 'PROPOSED'::public.payment_agreement_status,
    total_amount_cents bigint NOT NULL,
    down_payment_cents bigint,
    installments integer,
    start_date date,
    promise_date date,
    payment_link_url text,
    provider public.payment_agreement_provider DEFAULT 'NONE'::public.payment_agreement_provider,
    provider_ref character varying(160),
    terms jsonb DEFAULT '{}'::jsonb,
    created_by public.payment_agreement_created_by DEFAULT 'AI'::public.payment_agreement_created_by,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: payment_channel_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_channel_types (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code character varying(40) NOT NULL,
    label character varying(120) NOT NULL,
    requires_reconciliation boolean DEFAULT false,
    sort_order integer DEFAULT 0,
    config_schema jsonb DEFAULT '{"fields": []}'::jsonb,
    is_enabled boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: TABLE payment_channel_types; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.payment_channel_types IS 'Catalog of payment channel types. config_schema defines dynamic form fields.';

--
-- Name: COLUMN payment_channel_types.config_schema; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.payment_channel_types.config_schema IS 'JSON: { fields: [...], reference?: { required, label, template, helpText, placeholders } }. Template uses {caseId}, {debtorId}, {tenantId}, {leaseExternalId}.';

--
-- Name: payment_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_links (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    debt_case_id uuid NOT NULL,
    payment_agreement_id uuid,
    token character varying(128) NOT NULL,
    status public.payment_link_status DEFAULT 'PENDING'::public.payment_link_status,
    expires_at timestamp with time zone NOT NULL,
    clicked_at timestamp with time zone,
    click_ip character varying(64),
    click_user_agent text,
    verification_attempts smallint DEFAULT 0,
    verified_at timestamp with time zone,
    verification_method public.payment_link_verification_method,
    otp_code_hash character varying(256),
    otp_expires_at timestamp with time zone,
    otp_attempts smallint DEFAULT 0,
    otp_sent_to character varying(160),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: TABLE payment_links; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.payment_links IS 'Token-based payment links. URL: /p/{token}. Replaces agreement ID in URLs.';

--
-- Name: pms_connections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_connections (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    software_id uuid NOT NULL,
    status character varying(32) DEFAULT 'draft'::character varying NOT NULL,
    credentials jsonb,
    external_account_id character varying(256),
    capabilities jsonb,
    last_synced_at timestamp with time zone,
    last_error jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    sync_state jsonb DEFAULT '{}'::jsonb
);

--
-- Name: COLUMN pms_connections.sync_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.pms_connections.sync_state IS 'Incremental sync cursors and run metadata: debtorsSince, leasesSince, chargesSince, paymentsSince, lastSuccessfulRunAt, lastAttemptAt';

--
-- Name: pms_debtor_contacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_debtor_contacts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pms_debtor_id uuid NOT NULL,
    contact_type character varying(32) NOT NULL,
    value character varying(512) NOT NULL,
    label character varying(64),
    is_primary boolean DEFAULT false,
    external_id character varying(256),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: pms_debtors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_debtors (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    external_id character varying(256) NOT NULL,
    display_name character varying(256) NOT NULL,
    type character varying(32) DEFAULT 'person'::character varying,
    email character varying(256),
    phone character varying(64),
    address jsonb DEFAULT '{}'::jsonb,
    language character varying(16),
    timezone character varying(64),
    do_not_contact boolean DEFAULT false,
    do_not_call boolean DEFAULT false,
    meta jsonb DEFAULT '{}'::jsonb,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: pms_leases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_leases (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    pms_debtor_id uuid NOT NULL,
    pms_property_id uuid,
    pms_unit_id uuid,
    external_id character varying(256) NOT NULL,
    lease_number character varying(64),
    status character varying(32) DEFAULT 'active'::character varying,
    move_in_date date,
    move_out_date date,
    last_note_summary text,
    in_collections boolean DEFAULT false,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: pms_properties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_properties (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    external_id character varying(256) NOT NULL,
    name character varying(256),
    address jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: pms_units; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_units (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    pms_connection_id uuid NOT NULL,
    pms_property_id uuid,
    external_id character varying(256) NOT NULL,
    unit_number character varying(64),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: software_setup_steps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.software_setup_steps (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    software_id uuid NOT NULL,
    "order" integer NOT NULL,
    title character varying(256) NOT NULL,
    body text,
    type character varying(32) NOT NULL,
    copy_value text,
    link_url character varying(512),
    media_url character varying(512),
    meta jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: softwares; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.softwares (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    key character varying(64) NOT NULL,
    name character varying(120) NOT NULL,
    category character varying(64) NOT NULL,
    auth_type character varying(32) NOT NULL,
    auth_config jsonb DEFAULT '{}'::jsonb,
    capabilities jsonb DEFAULT '{}'::jsonb,
    logo_url character varying(512),
    docs_url character varying(512),
    is_enabled boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: sync_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sync_runs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    pms_connection_id uuid NOT NULL,
    status character varying(32) DEFAULT 'pending'::character varying NOT NULL,
    triggered_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    step character varying(64),
    stats jsonb DEFAULT '{}'::jsonb,
    error_message text,
    error_details jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    trigger character varying(32) DEFAULT 'manual'::character varying,
    idempotency_key character varying(256)
);

--
-- Name: COLUMN sync_runs.trigger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.sync_runs.trigger IS 'manual | scheduled | webhook';

--
-- Name: COLUMN sync_runs.idempotency_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.sync_runs.idempotency_key IS 'Optional: connectionId + trigger + timestamp or job id for dedupe';

--
-- Name: tenant_brandings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_brandings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    company_name character varying(160),
    logo_url text,
    primary_color character varying(7),
    secondary_color character varying(7),
    support_email character varying(160),
    support_phone character varying(40),
    footer_text text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    support_hours character varying(80),
    show_powered_by boolean DEFAULT true,
    legal_disclaimer_override text,
    otp_delivery_label_override character varying(120)
);

--
-- Name: TABLE tenant_brandings; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.tenant_brandings IS 'White-label branding for payment pages. When null, use Mordecai defaults.';

--
-- Name: tenant_message_attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_message_attachments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name character varying(120) NOT NULL,
    type character varying(40) DEFAULT 'custom'::character varying,
    file_key character varying(512) NOT NULL,
    min_days_past_due integer,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP
);

--
-- Name: tenant_message_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_message_templates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    channel character varying(20) NOT NULL,
    name character varying(120) NOT NULL,
    subject character varying(500),
    body_text text NOT NULL,
    body_html text,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT chk_template_channel CHECK (((channel)::text = ANY ((ARRAY['sms'::character varying, 'email'::character varying])::text[])))
);

--
-- Name: tenant_payment_channels; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_payment_channels (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    code character varying(40) NOT NULL,
    label character varying(120) NOT NULL,
    requires_reconciliation boolean DEFAULT false,
    instructions_template text,
    sort_order integer DEFAULT 0,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    config jsonb DEFAULT '{}'::jsonb,
    channel_type_id uuid
);

--
-- Name: COLUMN tenant_payment_channels.config; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.tenant_payment_channels.config IS 'Structured config for AI to provide payment details: transfer banks, zelle contact, cash points, link url';

--
-- Name: tenants; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(120) NOT NULL,
    timezone character varying(64) DEFAULT 'America/New_York'::character varying,
    status public.tenant_status DEFAULT 'active'::public.tenant_status,
    settings jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    collections_engine_version character varying(8) DEFAULT 'v1'::character varying NOT NULL,
    CONSTRAINT tenants_collections_engine_version_check CHECK (((collections_engine_version)::text = ANY ((ARRAY['v1'::character varying, 'v2'::character varying])::text[])))
);

--
-- Name: COLUMN tenants.collections_engine_version; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.tenants.collections_engine_version IS 'Collections engine: v1 (FlowPolicy) or v2 (Strategy/Stage/Automation)';

--
-- Name: ar_adjustments ar_adjustments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_pkey PRIMARY KEY (id);

--
-- Name: ar_aging_snapshots ar_aging_snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_aging_snapshots
    ADD CONSTRAINT ar_aging_snapshots_pkey PRIMARY KEY (id);

--
-- Name: ar_balances ar_balances_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_pkey PRIMARY KEY (id);

--
-- Name: ar_charges ar_charges_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_pkey PRIMARY KEY (id);

--
-- Name: ar_payments ar_payments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_pkey PRIMARY KEY (id);

--
-- Name: case_automation_state case_automation_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_pkey PRIMARY KEY (id);

--
-- Name: case_disputes case_disputes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_disputes
    ADD CONSTRAINT case_disputes_pkey PRIMARY KEY (id);

--
-- Name: collection_automations collection_automations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_pkey PRIMARY KEY (id);

--
-- Name: collection_events collection_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_events
    ADD CONSTRAINT collection_events_pkey PRIMARY KEY (id);

--
-- Name: collection_stages collection_stages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_stages
    ADD CONSTRAINT collection_stages_pkey PRIMARY KEY (id);

--
-- Name: collection_strategies collection_strategies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_strategies
    ADD CONSTRAINT collection_strategies_pkey PRIMARY KEY (id);

--
-- Name: debt_cases debt_cases_case_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_case_public_id_key UNIQUE (case_public_id);

--
-- Name: debt_cases debt_cases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_pkey PRIMARY KEY (id);

--
-- Name: debtors debtors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debtors
    ADD CONSTRAINT debtors_pkey PRIMARY KEY (id);

--
-- Name: external_mappings external_mappings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.external_mappings
    ADD CONSTRAINT external_mappings_pkey PRIMARY KEY (id);

--
-- Name: flow_policies flow_policies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.flow_policies
    ADD CONSTRAINT flow_policies_pkey PRIMARY KEY (id);

--
-- Name: import_batches import_batches_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.import_batches
    ADD CONSTRAINT import_batches_pkey PRIMARY KEY (id);

--
-- Name: interaction_logs interaction_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_pkey PRIMARY KEY (id);

--
-- Name: payment_agreements payment_agreements_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_agreements
    ADD CONSTRAINT payment_agreements_pkey PRIMARY KEY (id);

--
-- Name: payment_channel_types payment_channel_types_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_channel_types
    ADD CONSTRAINT payment_channel_types_code_key UNIQUE (code);

--
-- Name: payment_channel_types payment_channel_types_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_channel_types
    ADD CONSTRAINT payment_channel_types_pkey PRIMARY KEY (id);

--
-- Name: payment_links payment_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_pkey PRIMARY KEY (id);

--
-- Name: payment_links payment_links_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_token_key UNIQUE (token);

--
-- Name: pms_connections pms_connections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_connections
    ADD CONSTRAINT pms_connections_pkey PRIMARY KEY (id);

--
-- Name: pms_debtor_contacts pms_debtor_contacts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtor_contacts
    ADD CONSTRAINT pms_debtor_contacts_pkey PRIMARY KEY (id);

--
-- Name: pms_debtors pms_debtors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtors
    ADD CONSTRAINT pms_debtors_pkey PRIMARY KEY (id);

--
-- Name: pms_leases pms_leases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pkey PRIMARY KEY (id);

--
-- Name: pms_properties pms_properties_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT pms_properties_pkey PRIMARY KEY (id);

--
-- Name: pms_units pms_units_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_pkey PRIMARY KEY (id);

--
-- Name: software_setup_steps software_setup_steps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.software_setup_steps
    ADD CONSTRAINT software_setup_steps_pkey PRIMARY KEY (id);

--
-- Name: softwares softwares_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.softwares
    ADD CONSTRAINT softwares_pkey PRIMARY KEY (id);

--
-- Name: sync_runs sync_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sync_runs
    ADD CONSTRAINT sync_runs_pkey PRIMARY KEY (id);

--
-- Name: tenant_brandings tenant_brandings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_brandings
    ADD CONSTRAINT tenant_brandings_pkey PRIMARY KEY (id);

--
-- Name: tenant_brandings tenant_brandings_tenant_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_brandings
    ADD CONSTRAINT tenant_brandings_tenant_id_key UNIQUE (tenant_id);

--
-- Name: tenant_message_attachments tenant_message_attachments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_message_attachments
    ADD CONSTRAINT tenant_message_attachments_pkey PRIMARY KEY (id);

--
-- Name: tenant_message_templates tenant_message_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_message_templates
    ADD CONSTRAINT tenant_message_templates_pkey PRIMARY KEY (id);

--
-- Name: tenant_payment_channels tenant_payment_channels_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_payment_channels
    ADD CONSTRAINT tenant_payment_channels_pkey PRIMARY KEY (id);

--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

--
-- Name: ar_aging_snapshots uq_ar_aging_snapshots_connection_as_of; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_aging_snapshots
    ADD CONSTRAINT uq_ar_aging_snapshots_connection_as_of UNIQUE (pms_connection_id, as_of_date);

--
-- Name: ar_balances uq_ar_balances_lease_as_of; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT uq_ar_balances_lease_as_of UNIQUE (pms_lease_id, as_of_date);

--
-- Name: ar_charges uq_ar_charges_connection_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT uq_ar_charges_connection_external UNIQUE (pms_connection_id, external_id);

--
-- Name: ar_payments uq_ar_payments_connection_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT uq_ar_payments_connection_external UNIQUE (pms_connection_id, external_id);

--
-- Name: case_automation_state uq_case_automation_state_case_automation; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT uq_case_automation_state_case_automation UNIQUE (debt_case_id, automation_id);

--
-- Name: external_mappings uq_external_mappings_connection_entity_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.external_mappings
    ADD CONSTRAINT uq_external_mappings_connection_entity_external UNIQUE (pms_connection_id, entity_type, external_id);

--
-- Name: pms_connections uq_pms_connections_tenant_software; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_connections
    ADD CONSTRAINT uq_pms_connections_tenant_software UNIQUE (tenant_id, software_id);

--
-- Name: pms_debtors uq_pms_debtors_connection_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtors
    ADD CONSTRAINT uq_pms_debtors_connection_external UNIQUE (pms_connection_id, external_id);

--
-- Name: pms_leases uq_pms_leases_connection_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT uq_pms_leases_connection_external UNIQUE (pms_connection_id, external_id);

--
-- Name: pms_properties uq_pms_properties_connection_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT uq_pms_properties_connection_external UNIQUE (pms_connection_id, external_id);

--
-- Name: pms_units uq_pms_units_connection_external; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT uq_pms_units_connection_external UNIQUE (pms_connection_id, external_id);

--
-- Name: software_setup_steps uq_software_setup_steps_software_order; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.software_setup_steps
    ADD CONSTRAINT uq_software_setup_steps_software_order UNIQUE (software_id, "order");

--
-- Name: idx_ar_adjustments_lease; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_adjustments_lease ON public.ar_adjustments USING btree (pms_lease_id);

--
-- Name: idx_ar_adjustments_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_adjustments_tenant ON public.ar_adjustments USING btree (tenant_id);

--
-- Name: idx_ar_aging_snapshots_as_of; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_aging_snapshots_as_of ON public.ar_aging_snapshots USING btree (pms_connection_id, as_of_date);

--
-- Name: idx_ar_aging_snapshots_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_aging_snapshots_connection ON public.ar_aging_snapshots USING btree (pms_connection_id);

--
-- Name: idx_ar_aging_snapshots_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_aging_snapshots_tenant ON public.ar_aging_snapshots USING btree (tenant_id);

--
-- Name: idx_ar_balances_as_of; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_balances_as_of ON public.ar_balances USING btree (pms_connection_id, as_of_date);

--
-- Name: idx_ar_balances_lease; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_balances_lease ON public.ar_balances USING btree (pms_lease_id);

--
-- Name: idx_ar_balances_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_balances_tenant ON public.ar_balances USING btree (tenant_id);

--
-- Name: idx_ar_charges_due_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_charges_due_date ON public.ar_charges USING btree (tenant_id, due_date);

--
-- Name: idx_ar_charges_lease; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_charges_lease ON public.ar_charges USING btree (pms_lease_id);

--
-- Name: idx_ar_charges_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_charges_tenant ON public.ar_charges USING btree (tenant_id);

--
-- Name: idx_ar_payments_lease; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_payments_lease ON public.ar_payments USING btree (pms_lease_id);

--
-- Name: idx_ar_payments_paid_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_payments_paid_at ON public.ar_payments USING btree (tenant_id, paid_at);

--
-- Name: idx_ar_payments_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_ar_payments_tenant ON public.ar_payments USING btree (tenant_id);

--
-- Name: idx_case_automation_state_automation; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_case_automation_state_automation ON public.case_automation_state USING btree (automation_id);

--
-- Name: idx_case_automation_state_debt_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_case_automation_state_debt_case ON public.case_automation_state USING btree (debt_case_id);

--
-- Name: idx_case_automation_state_next_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_case_automation_state_next_action ON public.case_automation_state USING btree (automation_id, next_action_at) WHERE ((status)::text = 'active'::text);

--
-- Name: idx_case_disputes_debt_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_case_disputes_debt_case ON public.case_disputes USING btree (debt_case_id);

--
-- Name: idx_case_disputes_one_open_per_case; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_case_disputes_one_open_per_case ON public.case_disputes USING btree (debt_case_id) WHERE ((status)::text = 'OPEN'::text);

--
-- Name: idx_case_disputes_tenant_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_case_disputes_tenant_status ON public.case_disputes USING btree (tenant_id, status);

--
-- Name: idx_collection_automations_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_automations_connection ON public.collection_automations USING btree (pms_connection_id);

--
-- Name: idx_collection_automations_next_tick; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_automations_next_tick ON public.collection_automations USING btree (next_tick_at) WHERE ((status)::text = 'active'::text);

--
-- Name: idx_collection_automations_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_automations_status ON public.collection_automations USING btree (tenant_id, status);

--
-- Name: idx_collection_automations_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_automations_tenant ON public.collection_automations USING btree (tenant_id);

--
-- Name: idx_collection_events_automation; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_events_automation ON public.collection_events USING btree (automation_id);

--
-- Name: idx_collection_events_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_events_created ON public.collection_events USING btree (automation_id, created_at DESC);

--
-- Name: idx_collection_events_debt_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_events_debt_case ON public.collection_events USING btree (debt_case_id);

--
-- Name: idx_collection_stages_strategy; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_stages_strategy ON public.collection_stages USING btree (strategy_id);

--
-- Name: idx_collection_stages_strategy_days; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_stages_strategy_days ON public.collection_stages USING btree (strategy_id, min_days_past_due, max_days_past_due);

--
-- Name: idx_collection_strategies_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_strategies_tenant ON public.collection_strategies USING btree (tenant_id);

--
-- Name: idx_collection_strategies_tenant_active; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_collection_strategies_tenant_active ON public.collection_strategies USING btree (tenant_id, is_active);

--
-- Name: idx_debt_cases_approval_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debt_cases_approval_status ON public.debt_cases USING btree (tenant_id, approval_status);

--
-- Name: idx_debt_cases_case_public_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debt_cases_case_public_id ON public.debt_cases USING btree (case_public_id);

--
-- Name: idx_debt_cases_tenant_days_past_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debt_cases_tenant_days_past_due ON public.debt_cases USING btree (tenant_id, days_past_due);

--
-- Name: idx_debt_cases_tenant_debtor; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debt_cases_tenant_debtor ON public.debt_cases USING btree (tenant_id, debtor_id);

--
-- Name: idx_debt_cases_tenant_next_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debt_cases_tenant_next_action ON public.debt_cases USING btree (tenant_id, next_action_at);

--
-- Name: idx_debt_cases_tenant_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debt_cases_tenant_status ON public.debt_cases USING btree (tenant_id, status);

--
-- Name: idx_debtors_tenant_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debtors_tenant_email ON public.debtors USING btree (tenant_id, email);

--
-- Name: idx_debtors_tenant_external_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debtors_tenant_external_ref ON public.debtors USING btree (tenant_id, external_ref);

--
-- Name: idx_debtors_tenant_phone; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_debtors_tenant_phone ON public.debtors USING btree (tenant_id, phone);

--
-- Name: idx_external_mappings_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_external_mappings_connection ON public.external_mappings USING btree (pms_connection_id);

--
-- Name: idx_external_mappings_lookup; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_external_mappings_lookup ON public.external_mappings USING btree (pms_connection_id, entity_type, external_id);

--
-- Name: idx_flow_policies_tenant_days; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_flow_policies_tenant_days ON public.flow_policies USING btree (tenant_id, min_days_past_due, max_days_past_due);

--
-- Name: idx_import_batches_tenant_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_import_batches_tenant_created ON public.import_batches USING btree (tenant_id, created_at);

--
-- Name: idx_interaction_logs_tenant_debt_case_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_interaction_logs_tenant_debt_case_created ON public.interaction_logs USING btree (tenant_id, debt_case_id, created_at);

--
-- Name: idx_interaction_logs_tenant_provider_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_interaction_logs_tenant_provider_ref ON public.interaction_logs USING btree (tenant_id, provider_ref);

--
-- Name: idx_interaction_logs_tenant_type_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_interaction_logs_tenant_type_created ON public.interaction_logs USING btree (tenant_id, type, created_at);

--
-- Name: idx_payment_agreements_tenant_debt_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_payment_agreements_tenant_debt_case ON public.payment_agreements USING btree (tenant_id, debt_case_id);

--
-- Name: idx_payment_agreements_tenant_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_payment_agreements_tenant_status ON public.payment_agreements USING btree (tenant_id, status);

--
-- Name: idx_payment_channel_types_code; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_payment_channel_types_code ON public.payment_channel_types USING btree (code);

--
-- Name: idx_payment_channel_types_enabled; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_payment_channel_types_enabled ON public.payment_channel_types USING btree (is_enabled);

--
-- Name: idx_payment_links_status_expires; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_payment_links_status_expires ON public.payment_links USING btree (status, expires_at);

--
-- Name: idx_payment_links_tenant_debt_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_payment_links_tenant_debt_case ON public.payment_links USING btree (tenant_id, debt_case_id);

--
-- Name: idx_payment_links_token; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_payment_links_token ON public.payment_links USING btree (token);

--
-- Name: idx_pms_connections_software_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_connections_software_id ON public.pms_connections USING btree (software_id);

--
-- Name: idx_pms_connections_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_connections_status ON public.pms_connections USING btree (status);

--
-- Name: idx_pms_connections_tenant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_connections_tenant_id ON public.pms_connections USING btree (tenant_id);

--
-- Name: idx_pms_debtor_contacts_debtor; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_debtor_contacts_debtor ON public.pms_debtor_contacts USING btree (pms_debtor_id);

--
-- Name: idx_pms_debtor_contacts_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_debtor_contacts_type ON public.pms_debtor_contacts USING btree (pms_debtor_id, contact_type);

--
-- Name: idx_pms_debtors_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_debtors_connection ON public.pms_debtors USING btree (pms_connection_id);

--
-- Name: idx_pms_debtors_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_debtors_email ON public.pms_debtors USING btree (tenant_id, email) WHERE (email IS NOT NULL);

--
-- Name: idx_pms_debtors_phone; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_debtors_phone ON public.pms_debtors USING btree (tenant_id, phone) WHERE (phone IS NOT NULL);

--
-- Name: idx_pms_debtors_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_debtors_tenant ON public.pms_debtors USING btree (tenant_id);

--
-- Name: idx_pms_leases_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_leases_connection ON public.pms_leases USING btree (pms_connection_id);

--
-- Name: idx_pms_leases_debtor; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_leases_debtor ON public.pms_leases USING btree (pms_debtor_id);

--
-- Name: idx_pms_leases_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_leases_status ON public.pms_leases USING btree (tenant_id, status);

--
-- Name: idx_pms_leases_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_leases_tenant ON public.pms_leases USING btree (tenant_id);

--
-- Name: idx_pms_properties_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_properties_connection ON public.pms_properties USING btree (pms_connection_id);

--
-- Name: idx_pms_properties_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_properties_tenant ON public.pms_properties USING btree (tenant_id);

--
-- Name: idx_pms_units_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_units_connection ON public.pms_units USING btree (pms_connection_id);

--
-- Name: idx_pms_units_property; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_units_property ON public.pms_units USING btree (pms_property_id);

--
-- Name: idx_pms_units_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_pms_units_tenant ON public.pms_units USING btree (tenant_id);

--
-- Name: idx_software_setup_steps_software_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_software_setup_steps_software_id ON public.software_setup_steps USING btree (software_id);

--
-- Name: idx_softwares_category; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_softwares_category ON public.softwares USING btree (category);

--
-- Name: idx_softwares_is_enabled; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_softwares_is_enabled ON public.softwares USING btree (is_enabled);

--
-- Name: idx_softwares_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_softwares_key ON public.softwares USING btree (key);

--
-- Name: idx_sync_runs_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_sync_runs_connection ON public.sync_runs USING btree (pms_connection_id);

--
-- Name: idx_sync_runs_idempotency; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_sync_runs_idempotency ON public.sync_runs USING btree (pms_connection_id, idempotency_key) WHERE (idempotency_key IS NOT NULL);

--
-- Name: idx_sync_runs_one_active_per_connection; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_sync_runs_one_active_per_connection ON public.sync_runs USING btree (pms_connection_id) WHERE ((status)::text = ANY ((ARRAY['pending'::character varying, 'running'::character varying])::text[]));

--
-- Name: idx_sync_runs_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_sync_runs_status ON public.sync_runs USING btree (pms_connection_id, status);

--
-- Name: idx_sync_runs_triggered; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_sync_runs_triggered ON public.sync_runs USING btree (pms_connection_id, triggered_at DESC);

--
-- Name: idx_tenant_brandings_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_tenant_brandings_tenant ON public.tenant_brandings USING btree (tenant_id);

--
-- Name: idx_tenant_message_attachments_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tenant_message_attachments_tenant ON public.tenant_message_attachments USING btree (tenant_id);

--
-- Name: idx_tenant_message_templates_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tenant_message_templates_tenant ON public.tenant_message_templates USING btree (tenant_id);

--
-- Name: idx_tenant_message_templates_tenant_channel; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tenant_message_templates_tenant_channel ON public.tenant_message_templates USING btree (tenant_id, channel);

--
-- Name: idx_tenant_payment_channels_channel_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tenant_payment_channels_channel_type ON public.tenant_payment_channels USING btree (channel_type_id);

--
-- Name: idx_tenant_payment_channels_tenant; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tenant_payment_channels_tenant ON public.tenant_payment_channels USING btree (tenant_id);

--
-- Name: idx_tenant_payment_channels_tenant_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_tenant_payment_channels_tenant_code ON public.tenant_payment_channels USING btree (tenant_id, code);

--
-- Name: idx_tenants_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_tenants_status ON public.tenants USING btree (status);

--
-- Name: debt_cases trg_debt_cases_generate_case_public_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_debt_cases_generate_case_public_id BEFORE INSERT ON public.debt_cases FOR EACH ROW EXECUTE FUNCTION public.generate_case_public_id();

--
-- Name: ar_adjustments update_ar_adjustments_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_ar_adjustments_updated_at BEFORE UPDATE ON public.ar_adjustments FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: ar_balances update_ar_balances_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_ar_balances_updated_at BEFORE UPDATE ON public.ar_balances FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: ar_charges update_ar_charges_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_ar_charges_updated_at BEFORE UPDATE ON public.ar_charges FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: ar_payments update_ar_payments_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_ar_payments_updated_at BEFORE UPDATE ON public.ar_payments FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: case_automation_state update_case_automation_state_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_case_automation_state_updated_at BEFORE UPDATE ON public.case_automation_state FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: case_disputes update_case_disputes_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_case_disputes_updated_at BEFORE UPDATE ON public.case_disputes FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: collection_automations update_collection_automations_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_collection_automations_updated_at BEFORE UPDATE ON public.collection_automations FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: collection_stages update_collection_stages_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_collection_stages_updated_at BEFORE UPDATE ON public.collection_stages FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: collection_strategies update_collection_strategies_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_collection_strategies_updated_at BEFORE UPDATE ON public.collection_strategies FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: debt_cases update_debt_cases_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_debt_cases_updated_at BEFORE UPDATE ON public.debt_cases FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: debtors update_debtors_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_debtors_updated_at BEFORE UPDATE ON public.debtors FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: external_mappings update_external_mappings_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_external_mappings_updated_at BEFORE UPDATE ON public.external_mappings FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: flow_policies update_flow_policies_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_flow_policies_updated_at BEFORE UPDATE ON public.flow_policies FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: import_batches update_import_batches_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_import_batches_updated_at BEFORE UPDATE ON public.import_batches FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: interaction_logs update_interaction_logs_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_interaction_logs_updated_at BEFORE UPDATE ON public.interaction_logs FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: payment_agreements update_payment_agreements_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_payment_agreements_updated_at BEFORE UPDATE ON public.payment_agreements FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: payment_channel_types update_payment_channel_types_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_payment_channel_types_updated_at BEFORE UPDATE ON public.payment_channel_types FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: payment_links update_payment_links_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_payment_links_updated_at BEFORE UPDATE ON public.payment_links FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: pms_connections update_pms_connections_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_pms_connections_updated_at BEFORE UPDATE ON public.pms_connections FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: pms_debtor_contacts update_pms_debtor_contacts_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_pms_debtor_contacts_updated_at BEFORE UPDATE ON public.pms_debtor_contacts FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: pms_debtors update_pms_debtors_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_pms_debtors_updated_at BEFORE UPDATE ON public.pms_debtors FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: pms_leases update_pms_leases_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_pms_leases_updated_at BEFORE UPDATE ON public.pms_leases FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: pms_properties update_pms_properties_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_pms_properties_updated_at BEFORE UPDATE ON public.pms_properties FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: pms_units update_pms_units_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_pms_units_updated_at BEFORE UPDATE ON public.pms_units FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: software_setup_steps update_software_setup_steps_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_software_setup_steps_updated_at BEFORE UPDATE ON public.software_setup_steps FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: softwares update_softwares_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_softwares_updated_at BEFORE UPDATE ON public.softwares FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: sync_runs update_sync_runs_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_sync_runs_updated_at BEFORE UPDATE ON public.sync_runs FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: tenant_brandings update_tenant_brandings_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_tenant_brandings_updated_at BEFORE UPDATE ON public.tenant_brandings FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: tenant_message_attachments update_tenant_message_attachments_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_tenant_message_attachments_updated_at BEFORE UPDATE ON public.tenant_message_attachments FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: tenant_message_templates update_tenant_message_templates_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_tenant_message_templates_updated_at BEFORE UPDATE ON public.tenant_message_templates FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: tenant_payment_channels update_tenant_payment_channels_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_tenant_payment_channels_updated_at BEFORE UPDATE ON public.tenant_payment_channels FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: tenants update_tenants_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER update_tenants_updated_at BEFORE UPDATE ON public.tenants FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

--
-- Name: ar_adjustments ar_adjustments_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: ar_adjustments ar_adjustments_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON DELETE CASCADE;

--
-- Name: ar_adjustments ar_adjustments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: ar_aging_snapshots ar_aging_snapshots_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_aging_snapshots
    ADD CONSTRAINT ar_aging_snapshots_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: ar_aging_snapshots ar_aging_snapshots_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_aging_snapshots
    ADD CONSTRAINT ar_aging_snapshots_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: ar_balances ar_balances_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: ar_balances ar_balances_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON DELETE CASCADE;

--
-- Name: ar_balances ar_balances_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: ar_charges ar_charges_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: ar_charges ar_charges_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON DELETE CASCADE;

--
-- Name: ar_charges ar_charges_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: ar_payments ar_payments_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: ar_payments ar_payments_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON DELETE CASCADE;

--
-- Name: ar_payments ar_payments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: case_automation_state case_automation_state_automation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES public.collection_automations(id) ON DELETE CASCADE;

--
-- Name: case_automation_state case_automation_state_current_stage_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_current_stage_id_fkey FOREIGN KEY (current_stage_id) REFERENCES public.collection_stages(id) ON DELETE SET NULL;

--
-- Name: case_automation_state case_automation_state_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON DELETE CASCADE;

--
-- Name: case_automation_state case_automation_state_strategy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.collection_strategies(id) ON DELETE RESTRICT;

--
-- Name: case_disputes case_disputes_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_disputes
    ADD CONSTRAINT case_disputes_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON DELETE CASCADE;

--
-- Name: case_disputes case_disputes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_disputes
    ADD CONSTRAINT case_disputes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: collection_automations collection_automations_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: collection_automations collection_automations_strategy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.collection_strategies(id) ON DELETE RESTRICT;

--
-- Name: collection_automations collection_automations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: collection_events collection_events_automation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_events
    ADD CONSTRAINT collection_events_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES public.collection_automations(id) ON DELETE CASCADE;

--
-- Name: collection_events collection_events_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_events
    ADD CONSTRAINT collection_events_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON DELETE SET NULL;

--
-- Name: collection_stages collection_stages_strategy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_stages
    ADD CONSTRAINT collection_stages_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.collection_strategies(id) ON DELETE CASCADE;

--
-- Name: collection_strategies collection_strategies_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_strategies
    ADD CONSTRAINT collection_strategies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: debt_cases debt_cases_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_debtor_id_fkey FOREIGN KEY (debtor_id) REFERENCES public.debtors(id) ON DELETE RESTRICT;

--
-- Name: debt_cases debt_cases_flow_policy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_flow_policy_id_fkey FOREIGN KEY (flow_policy_id) REFERENCES public.flow_policies(id) ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_import_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_import_batch_id_fkey FOREIGN KEY (import_batch_id) REFERENCES public.import_batches(id) ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: debtors debtors_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debtors
    ADD CONSTRAINT debtors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: external_mappings external_mappings_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.external_mappings
    ADD CONSTRAINT external_mappings_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: flow_policies flow_policies_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.flow_policies
    ADD CONSTRAINT flow_policies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: import_batches import_batches_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.import_batches
    ADD CONSTRAINT import_batches_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: interaction_logs interaction_logs_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON DELETE CASCADE;

--
-- Name: interaction_logs interaction_logs_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_debtor_id_fkey FOREIGN KEY (debtor_id) REFERENCES public.debtors(id) ON DELETE RESTRICT;

--
-- Name: interaction_logs interaction_logs_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: payment_agreements payment_agreements_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_agreements
    ADD CONSTRAINT payment_agreements_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON DELETE CASCADE;

--
-- Name: payment_agreements payment_agreements_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_agreements
    ADD CONSTRAINT payment_agreements_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: payment_links payment_links_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON DELETE CASCADE;

--
-- Name: payment_links payment_links_payment_agreement_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_payment_agreement_id_fkey FOREIGN KEY (payment_agreement_id) REFERENCES public.payment_agreements(id) ON DELETE SET NULL;

--
-- Name: payment_links payment_links_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: pms_connections pms_connections_software_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_connections
    ADD CONSTRAINT pms_connections_software_id_fkey FOREIGN KEY (software_id) REFERENCES public.softwares(id) ON DELETE CASCADE;

--
-- Name: pms_connections pms_connections_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_connections
    ADD CONSTRAINT pms_connections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: pms_debtor_contacts pms_debtor_contacts_pms_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtor_contacts
    ADD CONSTRAINT pms_debtor_contacts_pms_debtor_id_fkey FOREIGN KEY (pms_debtor_id) REFERENCES public.pms_debtors(id) ON DELETE CASCADE;

--
-- Name: pms_debtors pms_debtors_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtors
    ADD CONSTRAINT pms_debtors_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: pms_debtors pms_debtors_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtors
    ADD CONSTRAINT pms_debtors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: pms_leases pms_leases_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: pms_leases pms_leases_pms_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_debtor_id_fkey FOREIGN KEY (pms_debtor_id) REFERENCES public.pms_debtors(id) ON DELETE CASCADE;

--
-- Name: pms_leases pms_leases_pms_property_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_property_id_fkey FOREIGN KEY (pms_property_id) REFERENCES public.pms_properties(id) ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_pms_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_unit_id_fkey FOREIGN KEY (pms_unit_id) REFERENCES public.pms_units(id) ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: pms_properties pms_properties_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT pms_properties_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: pms_properties pms_properties_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT pms_properties_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: pms_units pms_units_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: pms_units pms_units_pms_property_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_pms_property_id_fkey FOREIGN KEY (pms_property_id) REFERENCES public.pms_properties(id) ON DELETE SET NULL;

--
-- Name: pms_units pms_units_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: software_setup_steps software_setup_steps_software_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.software_setup_steps
    ADD CONSTRAINT software_setup_steps_software_id_fkey FOREIGN KEY (software_id) REFERENCES public.softwares(id) ON DELETE CASCADE;

--
-- Name: sync_runs sync_runs_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sync_runs
    ADD CONSTRAINT sync_runs_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON DELETE CASCADE;

--
-- Name: tenant_brandings tenant_brandings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_brandings
    ADD CONSTRAINT tenant_brandings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: tenant_message_attachments tenant_message_attachments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_message_attachments
    ADD CONSTRAINT tenant_message_attachments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: tenant_message_templates tenant_message_templates_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_message_templates
    ADD CONSTRAINT tenant_message_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- Name: tenant_payment_channels tenant_payment_channels_channel_type_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_payment_channels
    ADD CONSTRAINT tenant_payment_channels_channel_type_id_fkey FOREIGN KEY (channel_type_id) REFERENCES public.payment_channel_types(id) ON DELETE SET NULL;

--
-- Name: tenant_payment_channels tenant_payment_channels_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_payment_channels
    ADD CONSTRAINT tenant_payment_channels_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON DELETE CASCADE;

--
-- PostgreSQL database dump complete
--

