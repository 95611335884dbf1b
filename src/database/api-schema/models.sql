-- The Mordecai API's database schema, variant 'models' (generated fixture: do not edit).
-- API commit: e62825f5a65663513c0a4e400fdd5c78dc8cde75
-- Generated: 2026-12-01T10:48:57Z by scripts/api-schema/build-fixtures.sh
-- How: the API's Sequelize models synced (DB_SYNC_MODE=alter, src/loaders/sequelize.load.js loadDatabase()) on an empty database.
-- Dumped with: pg_dump --schema-only --no-owner --no-privileges (15.20);
--   psql meta-commands and session SET / set_config lines removed.

--
-- PostgreSQL database dump
--

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

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
-- Name: enum_debt_cases_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_debt_cases_status AS ENUM (
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
-- Name: enum_import_batches_source; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_import_batches_source AS ENUM (
    'XLSX',
    'ERP'
);

--
-- Name: enum_import_batches_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_import_batches_status AS ENUM (
    'PENDING',
    'PROCESSING',
    'COMPLETED',
    'FAILED'
);

--
-- Name: enum_interaction_logs_direction; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_interaction_logs_direction AS ENUM (
    'OUTBOUND',
    'INBOUND'
);

--
-- Name: enum_interaction_logs_outcome; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_interaction_logs_outcome AS ENUM (
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
-- Name: enum_interaction_logs_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_interaction_logs_type AS ENUM (
    'CALL',
    'SMS',
    'EMAIL'
);

--
-- Name: enum_payment_agreements_created_by; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_payment_agreements_created_by AS ENUM (
    'AI',
    'USER',
    'SYSTEM'
);

--
-- Name: enum_payment_agreements_provider; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_payment_agreements_provider AS ENUM (
    'STRIPE',
    'NONE'
);

--
-- Name: enum_payment_agreements_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_payment_agreements_status AS ENUM (
    'PROPOSED',
    'ACCEPTED',
    'CANCELLED',
    'COMPLETED',
    'BROKEN'
);

--
-- Name: enum_payment_agreements_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_payment_agreements_type AS ENUM (
    'PROMISE_TO_PAY',
    'INSTALLMENTS'
);

--
-- Name: enum_payment_links_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_payment_links_status AS ENUM (
    'PENDING',
    'VERIFIED',
    'PAID',
    'EXPIRED',
    'BLOCKED'
);

--
-- Name: enum_payment_links_verification_method; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_payment_links_verification_method AS ENUM (
    'LEASE_DATA',
    'OTP'
);

--
-- Name: enum_tenant_invitations_role; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_tenant_invitations_role AS ENUM (
    'owner',
    'admin',
    'member'
);

--
-- Name: enum_tenant_invitations_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_tenant_invitations_status AS ENUM (
    'pending',
    'accepted',
    'revoked',
    'expired'
);

--
-- Name: enum_tenant_users_role; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_tenant_users_role AS ENUM (
    'owner',
    'admin',
    'member'
);

--
-- Name: enum_tenant_users_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_tenant_users_status AS ENUM (
    'invited',
    'active',
    'disabled'
);

--
-- Name: enum_tenants_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_tenants_status AS ENUM (
    'active',
    'inactive'
);

--
-- Name: enum_users_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.enum_users_status AS ENUM (
    'pending',
    'active',
    'disabled'
);

--
-- Name: ar_adjustments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_adjustments (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_lease_id uuid,
    external_id character varying(256),
    adjustment_type character varying(64),
    amount_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    applied_at timestamp with time zone,
    description text,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: ar_aging_snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_aging_snapshots (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    as_of_date date NOT NULL,
    total_cents bigint DEFAULT 0 NOT NULL,
    bucket_0_30_cents bigint DEFAULT 0 NOT NULL,
    bucket_31_60_cents bigint DEFAULT 0 NOT NULL,
    bucket_61_90_cents bigint DEFAULT 0 NOT NULL,
    bucket_90_plus_cents bigint DEFAULT 0 NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone
);

--
-- Name: ar_balances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_balances (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_lease_id uuid,
    balance_cents bigint NOT NULL,
    past_due_total_cents bigint,
    past_due_rent_cents bigint,
    unpaid_rent_cents bigint,
    currency character varying(8) DEFAULT 'USD'::character varying,
    as_of_date date NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: ar_charges; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_charges (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_lease_id uuid,
    external_id character varying(256) NOT NULL,
    charge_type character varying(64),
    amount_cents bigint NOT NULL,
    open_amount_cents bigint,
    currency character varying(8) DEFAULT 'USD'::character varying,
    due_date date NOT NULL,
    post_date date,
    description text,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: ar_lease_aging_snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_lease_aging_snapshots (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_lease_id uuid,
    as_of_date date NOT NULL,
    balance_cents bigint DEFAULT 0 NOT NULL,
    past_due_cents bigint DEFAULT 0,
    bucket_label character varying(16) DEFAULT 'current'::character varying NOT NULL,
    days_past_due integer DEFAULT 0 NOT NULL,
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone
);

--
-- Name: ar_payments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_payments (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_lease_id uuid,
    external_id character varying(256) NOT NULL,
    amount_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    paid_at timestamp with time zone NOT NULL,
    payment_method character varying(64),
    applied_to_charges jsonb DEFAULT '[]'::jsonb,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: ar_portfolio_aging_snapshots; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ar_portfolio_aging_snapshots (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_portfolio_id uuid,
    as_of_date date NOT NULL,
    total_cents bigint DEFAULT 0 NOT NULL,
    bucket_0_30_cents bigint DEFAULT 0 NOT NULL,
    bucket_31_60_cents bigint DEFAULT 0 NOT NULL,
    bucket_61_90_cents bigint DEFAULT 0 NOT NULL,
    bucket_90_plus_cents bigint DEFAULT 0 NOT NULL,
    past_due_total_cents bigint DEFAULT 0,
    currency character varying(8) DEFAULT 'USD'::character varying,
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone
);

--
-- Name: case_automation_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_automation_state (
    id uuid NOT NULL,
    debt_case_id uuid,
    automation_id uuid,
    strategy_id uuid,
    current_stage_id uuid,
    status character varying(32) DEFAULT 'active'::character varying NOT NULL,
    next_action_at timestamp with time zone,
    last_attempt_at timestamp with time zone,
    attempts_week_count integer DEFAULT 0,
    promise_due_date date,
    last_outcome character varying(64),
    last_outcome_at timestamp with time zone,
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: case_disputes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_disputes (
    id uuid NOT NULL,
    debt_case_id uuid,
    tenant_id uuid,
    status public.enum_case_disputes_status DEFAULT 'OPEN'::public.enum_case_disputes_status NOT NULL,
    reason public.enum_case_disputes_reason NOT NULL,
    notes text,
    evidence_urls jsonb DEFAULT '[]'::jsonb,
    opened_by uuid,
    opened_at timestamp with time zone,
    resolved_by uuid,
    resolved_at timestamp with time zone,
    resolution text,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: collection_automations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_automations (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    strategy_id uuid,
    status character varying(32) DEFAULT 'active'::character varying NOT NULL,
    started_at timestamp with time zone,
    paused_at timestamp with time zone,
    last_evaluated_at timestamp with time zone,
    next_tick_at timestamp with time zone,
    stats jsonb DEFAULT '{}'::jsonb,
    approval_mode character varying(32) DEFAULT 'AUTO'::character varying,
    approval_rules jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: collection_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_events (
    id uuid NOT NULL,
    automation_id uuid,
    debt_case_id uuid,
    channel character varying(32),
    event_type character varying(64) NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone
);

--
-- Name: collection_stages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_stages (
    id uuid NOT NULL,
    strategy_id uuid,
    name character varying(120) NOT NULL,
    min_days_past_due integer NOT NULL,
    max_days_past_due integer,
    channels jsonb DEFAULT '{}'::jsonb,
    messaging_config jsonb DEFAULT '{}'::jsonb,
    tone character varying(40) DEFAULT 'professional'::character varying,
    rules jsonb DEFAULT '{}'::jsonb,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: collection_strategies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collection_strategies (
    id uuid NOT NULL,
    tenant_id uuid,
    name character varying(120) NOT NULL,
    description text,
    is_active boolean DEFAULT true,
    global_rules jsonb DEFAULT '{}'::jsonb,
    max_attempts_per_week integer,
    cooldown_hours integer,
    allowed_time_window character varying(64),
    stop_on_promise boolean DEFAULT true,
    stop_on_payment boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    deleted_at timestamp with time zone
);

--
-- Name: debt_cases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.debt_cases (
    id uuid NOT NULL,
    tenant_id uuid,
    debtor_id uuid,
    flow_policy_id uuid,
    import_batch_id uuid,
    pms_lease_id uuid,
    amount_due_cents bigint NOT NULL,
    currency character varying(8) DEFAULT 'USD'::character varying,
    days_past_due integer NOT NULL,
    due_date date,
    status public.enum_debt_cases_status DEFAULT 'NEW'::public.enum_debt_cases_status,
    last_contacted_at timestamp with time zone,
    next_action_at timestamp with time zone,
    payment_link_url text,
    meta jsonb DEFAULT '{}'::jsonb,
    case_public_id character varying(16),
    closed_at timestamp with time zone,
    approval_status character varying(32) DEFAULT 'APPROVED'::character varying,
    external_key character varying(512),
    last_pms_sync_at timestamp with time zone,
    risk_tier character varying(16),
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: debtors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.debtors (
    id uuid NOT NULL,
    tenant_id uuid,
    external_ref character varying(128),
    full_name character varying(160) NOT NULL,
    email character varying(160),
    phone character varying(40),
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: discovery_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.discovery_sessions (
    id uuid NOT NULL,
    client_session_id uuid NOT NULL,
    answers jsonb DEFAULT '{}'::jsonb NOT NULL,
    current_step_index integer DEFAULT '-1'::integer NOT NULL,
    completed_at timestamp with time zone,
    ip_address character varying(45),
    user_agent text,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: external_mappings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.external_mappings (
    id uuid NOT NULL,
    pms_connection_id uuid,
    entity_type character varying(64) NOT NULL,
    external_id character varying(256) NOT NULL,
    internal_entity_type character varying(64) NOT NULL,
    internal_id uuid NOT NULL,
    updated_at timestamp with time zone
);

--
-- Name: flow_policies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.flow_policies (
    id uuid NOT NULL,
    tenant_id uuid,
    name character varying(120) NOT NULL,
    min_days_past_due integer NOT NULL,
    max_days_past_due integer,
    channels jsonb DEFAULT '{}'::jsonb,
    tone character varying(40) DEFAULT 'professional'::character varying,
    rules jsonb DEFAULT '{}'::jsonb,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: COLUMN flow_policies.channels; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.flow_policies.channels IS '{sms:true,email:true,call:true,whatsapp:false}';

--
-- Name: COLUMN flow_policies.tone; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.flow_policies.tone IS 'friendly|professional|firm';

--
-- Name: COLUMN flow_policies.rules; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.flow_policies.rules IS 'Reglas para acuerdos de pago';

--
-- Name: import_batches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.import_batches (
    id uuid NOT NULL,
    tenant_id uuid,
    source public.enum_import_batches_source DEFAULT 'XLSX'::public.enum_import_batches_source,
    file_key character varying(512),
    status public.enum_import_batches_status DEFAULT 'PENDING'::public.enum_import_batches_status,
    total_rows integer DEFAULT 0,
    success_rows integer DEFAULT 0,
    error_rows integer DEFAULT 0,
    errors jsonb DEFAULT '[]'::jsonb,
    processed_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: interaction_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.interaction_logs (
    id uuid NOT NULL,
    tenant_id uuid,
    debt_case_id uuid,
    debtor_id uuid,
    type public.enum_interaction_logs_type NOT NULL,
    direction public.enum_interaction_logs_direction DEFAULT 'OUTBOUND'::public.enum_interaction_logs_direction,
    channel_provider character varying(60),
    provider_ref character varying(160),
    status character varying(40) DEFAULT 'queued'::character varying,
    outcome public.enum_interaction_logs_outcome,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    transcript text,
    summary text,
    ai_data jsonb DEFAULT '{}'::jsonb,
    error jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: payment_agreements; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_agreements (
    id uuid NOT NULL,
    tenant_id uuid,
    debt_case_id uuid,
    type public.enum_payment_agreements_type NOT NULL,
    status public.enum_payment_agreements_status DEFAULT 'PROPOSED'::public.enum_payment_agreements_status,
    total_amount_cents bigint NOT NULL,
    down_payment_cents bigint,
    installments integer,
    start_date date,
    promise_date date,
    payment_link_url text,
    provider public.enum_payment_agreements_provider DEFAULT 'NONE'::public.enum_payment_agreements_provider,
    provider_ref character varying(160),
    terms jsonb DEFAULT '{}'::jsonb,
    payment_proof_urls jsonb DEFAULT '[]'::jsonb,
    created_by public.enum_payment_agreements_created_by DEFAULT 'AI'::public.enum_payment_agreements_created_by,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: payment_channel_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_channel_types (
    id uuid NOT NULL,
    code character varying(40) NOT NULL,
    label character varying(120) NOT NULL,
    requires_reconciliation boolean DEFAULT false,
    sort_order integer DEFAULT 0,
    config_schema jsonb DEFAULT '{"fields": []}'::jsonb,
    is_enabled boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: payment_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payment_links (
    id uuid NOT NULL,
    tenant_id uuid,
    debt_case_id uuid,
    payment_agreement_id uuid,
    token character varying(128) NOT NULL,
    short_token character varying(16),
    status public.enum_payment_links_status DEFAULT 'PENDING'::public.enum_payment_links_status,
    expires_at timestamp with time zone NOT NULL,
    clicked_at timestamp with time zone,
    click_source character varying(32),
    click_ip character varying(64),
    click_user_agent text,
    verification_attempts smallint DEFAULT 0,
    verified_at timestamp with time zone,
    verification_method public.enum_payment_links_verification_method,
    otp_code_hash character varying(256),
    otp_expires_at timestamp with time zone,
    otp_attempts smallint DEFAULT 0,
    otp_sent_to character varying(160),
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_connections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_connections (
    id uuid NOT NULL,
    tenant_id uuid,
    software_id uuid,
    status character varying(32) DEFAULT 'draft'::character varying NOT NULL,
    credentials jsonb,
    external_account_id character varying(256),
    capabilities jsonb,
    last_synced_at timestamp with time zone,
    last_error jsonb,
    sync_state jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_debtor_contacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_debtor_contacts (
    id uuid NOT NULL,
    pms_debtor_id uuid,
    contact_type character varying(32) NOT NULL,
    value character varying(512) NOT NULL,
    label character varying(64),
    is_primary boolean DEFAULT false,
    external_id character varying(256),
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_debtors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_debtors (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
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
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_leases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_leases (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_debtor_id uuid,
    pms_property_id uuid,
    pms_unit_id uuid,
    external_id character varying(256) NOT NULL,
    lease_number character varying(64),
    status character varying(32) DEFAULT 'active'::character varying,
    move_in_date date,
    move_out_date date,
    last_note_summary text,
    in_collections boolean DEFAULT false,
    risk_tier character varying(16) DEFAULT 'al_dia'::character varying,
    last_external_updated_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_portfolios; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_portfolios (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    external_id character varying(256) NOT NULL,
    name character varying(256),
    meta jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_properties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_properties (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_portfolio_id uuid,
    external_id character varying(256) NOT NULL,
    name character varying(256),
    address jsonb DEFAULT '{}'::jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: pms_units; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pms_units (
    id uuid NOT NULL,
    tenant_id uuid,
    pms_connection_id uuid,
    pms_property_id uuid,
    external_id character varying(256) NOT NULL,
    unit_number character varying(64),
    rent_cents bigint,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: software_setup_steps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.software_setup_steps (
    id uuid NOT NULL,
    software_id uuid,
    "order" integer NOT NULL,
    title character varying(256) NOT NULL,
    body text,
    type character varying(32) NOT NULL,
    copy_value text,
    link_url character varying(512),
    media_url character varying(512),
    meta jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: softwares; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.softwares (
    id uuid NOT NULL,
    key character varying(64) NOT NULL,
    name character varying(120) NOT NULL,
    category character varying(64) NOT NULL,
    auth_type character varying(32) NOT NULL,
    auth_config jsonb DEFAULT '{}'::jsonb,
    capabilities jsonb DEFAULT '{}'::jsonb,
    logo_url character varying(512),
    docs_url character varying(512),
    is_enabled boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: sync_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sync_runs (
    id uuid NOT NULL,
    pms_connection_id uuid,
    status character varying(32) DEFAULT 'pending'::character varying NOT NULL,
    trigger character varying(32) DEFAULT 'manual'::character varying NOT NULL,
    idempotency_key character varying(256),
    triggered_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    step character varying(64),
    stats jsonb DEFAULT '{}'::jsonb,
    error_message text,
    error_details jsonb,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_brandings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_brandings (
    id uuid NOT NULL,
    tenant_id uuid,
    company_name character varying(160),
    logo_url text,
    primary_color character varying(7),
    secondary_color character varying(7),
    support_email character varying(160),
    support_phone character varying(40),
    support_hours character varying(80),
    footer_text text,
    show_powered_by boolean DEFAULT true,
    legal_disclaimer_override text,
    otp_delivery_label_override character varying(120),
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_invitations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_invitations (
    id uuid NOT NULL,
    tenant_id uuid,
    email character varying(160) NOT NULL,
    role public.enum_tenant_invitations_role DEFAULT 'member'::public.enum_tenant_invitations_role NOT NULL,
    status public.enum_tenant_invitations_status DEFAULT 'pending'::public.enum_tenant_invitations_status NOT NULL,
    token character varying(180) NOT NULL,
    expires_at timestamp with time zone,
    created_by uuid,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_message_attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_message_attachments (
    id uuid NOT NULL,
    tenant_id uuid,
    name character varying(120) NOT NULL,
    type character varying(40) DEFAULT 'custom'::character varying,
    file_key character varying(512) NOT NULL,
    min_days_past_due integer,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_message_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_message_templates (
    id uuid NOT NULL,
    tenant_id uuid,
    channel character varying(20) NOT NULL,
    name character varying(120) NOT NULL,
    subject character varying(500),
    body_text text NOT NULL,
    body_html text,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_payment_channels; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_payment_channels (
    id uuid NOT NULL,
    tenant_id uuid,
    channel_type_id uuid,
    code character varying(40) NOT NULL,
    label character varying(120) NOT NULL,
    requires_reconciliation boolean DEFAULT false,
    instructions_template text,
    config jsonb DEFAULT '{}'::jsonb,
    sort_order integer DEFAULT 0,
    is_active boolean DEFAULT true,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_subscriptions (
    id uuid NOT NULL,
    tenant_id uuid,
    calls_plan character varying(16) DEFAULT 'none'::character varying NOT NULL,
    white_label boolean DEFAULT false NOT NULL,
    extra_seats integer DEFAULT 0 NOT NULL,
    custom_rate_per_unit_cents integer,
    status character varying(16) DEFAULT 'trialing'::character varying NOT NULL,
    trial_ends_at timestamp with time zone,
    billing_anchor date,
    notes text,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenant_users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenant_users (
    id uuid NOT NULL,
    tenant_id uuid,
    user_id uuid,
    role public.enum_tenant_users_role DEFAULT 'member'::public.enum_tenant_users_role NOT NULL,
    status public.enum_tenant_users_status DEFAULT 'invited'::public.enum_tenant_users_status NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: tenants; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tenants (
    id uuid NOT NULL,
    name character varying(120) NOT NULL,
    timezone character varying(64) DEFAULT 'America/New_York'::character varying,
    status public.enum_tenants_status DEFAULT 'active'::public.enum_tenants_status,
    settings jsonb DEFAULT '{}'::jsonb,
    collections_engine_version character varying(8) DEFAULT 'v1'::character varying NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id uuid NOT NULL,
    cognito_sub character varying(160) NOT NULL,
    email character varying(160) NOT NULL,
    full_name character varying(160),
    phone character varying(40),
    status public.enum_users_status DEFAULT 'pending'::public.enum_users_status NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);

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
-- Name: ar_lease_aging_snapshots ar_lease_aging_snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_lease_aging_snapshots
    ADD CONSTRAINT ar_lease_aging_snapshots_pkey PRIMARY KEY (id);

--
-- Name: ar_payments ar_payments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_pkey PRIMARY KEY (id);

--
-- Name: ar_portfolio_aging_snapshots ar_portfolio_aging_snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_portfolio_aging_snapshots
    ADD CONSTRAINT ar_portfolio_aging_snapshots_pkey PRIMARY KEY (id);

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
-- Name: discovery_sessions discovery_sessions_client_session_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_sessions
    ADD CONSTRAINT discovery_sessions_client_session_id_key UNIQUE (client_session_id);

--
-- Name: discovery_sessions discovery_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discovery_sessions
    ADD CONSTRAINT discovery_sessions_pkey PRIMARY KEY (id);

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
-- Name: payment_links payment_links_short_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_short_token_key UNIQUE (short_token);

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
-- Name: pms_portfolios pms_portfolios_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_portfolios
    ADD CONSTRAINT pms_portfolios_pkey PRIMARY KEY (id);

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
-- Name: softwares softwares_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.softwares
    ADD CONSTRAINT softwares_key_key UNIQUE (key);

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
-- Name: tenant_invitations tenant_invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_invitations
    ADD CONSTRAINT tenant_invitations_pkey PRIMARY KEY (id);

--
-- Name: tenant_invitations tenant_invitations_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_invitations
    ADD CONSTRAINT tenant_invitations_token_key UNIQUE (token);

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
-- Name: tenant_subscriptions tenant_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_subscriptions
    ADD CONSTRAINT tenant_subscriptions_pkey PRIMARY KEY (id);

--
-- Name: tenant_users tenant_users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_users
    ADD CONSTRAINT tenant_users_pkey PRIMARY KEY (id);

--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

--
-- Name: users users_cognito_sub_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_cognito_sub_key UNIQUE (cognito_sub);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: debt_cases_pms_lease_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debt_cases_pms_lease_id ON public.debt_cases USING btree (pms_lease_id);

--
-- Name: debt_cases_tenant_id_days_past_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debt_cases_tenant_id_days_past_due ON public.debt_cases USING btree (tenant_id, days_past_due);

--
-- Name: debt_cases_tenant_id_debtor_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debt_cases_tenant_id_debtor_id ON public.debt_cases USING btree (tenant_id, debtor_id);

--
-- Name: debt_cases_tenant_id_next_action_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debt_cases_tenant_id_next_action_at ON public.debt_cases USING btree (tenant_id, next_action_at);

--
-- Name: debt_cases_tenant_id_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debt_cases_tenant_id_status ON public.debt_cases USING btree (tenant_id, status);

--
-- Name: debtors_tenant_id_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debtors_tenant_id_email ON public.debtors USING btree (tenant_id, email);

--
-- Name: debtors_tenant_id_external_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debtors_tenant_id_external_ref ON public.debtors USING btree (tenant_id, external_ref);

--
-- Name: debtors_tenant_id_phone; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX debtors_tenant_id_phone ON public.debtors USING btree (tenant_id, phone);

--
-- Name: flow_policies_tenant_id_min_days_past_due_max_days_past_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX flow_policies_tenant_id_min_days_past_due_max_days_past_due ON public.flow_policies USING btree (tenant_id, min_days_past_due, max_days_past_due);

--
-- Name: idx_debt_cases_tenant_external_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX idx_debt_cases_tenant_external_key ON public.debt_cases USING btree (tenant_id, external_key);

--
-- Name: import_batches_tenant_id_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX import_batches_tenant_id_created_at ON public.import_batches USING btree (tenant_id, created_at);

--
-- Name: interaction_logs_tenant_id_debt_case_id_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX interaction_logs_tenant_id_debt_case_id_created_at ON public.interaction_logs USING btree (tenant_id, debt_case_id, created_at);

--
-- Name: interaction_logs_tenant_id_provider_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX interaction_logs_tenant_id_provider_ref ON public.interaction_logs USING btree (tenant_id, provider_ref);

--
-- Name: interaction_logs_tenant_id_type_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX interaction_logs_tenant_id_type_created_at ON public.interaction_logs USING btree (tenant_id, type, created_at);

--
-- Name: payment_agreements_tenant_id_debt_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payment_agreements_tenant_id_debt_case_id ON public.payment_agreements USING btree (tenant_id, debt_case_id);

--
-- Name: payment_agreements_tenant_id_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payment_agreements_tenant_id_status ON public.payment_agreements USING btree (tenant_id, status);

--
-- Name: pms_connections_software_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pms_connections_software_id ON public.pms_connections USING btree (software_id);

--
-- Name: pms_connections_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pms_connections_status ON public.pms_connections USING btree (status);

--
-- Name: pms_connections_tenant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pms_connections_tenant_id ON public.pms_connections USING btree (tenant_id);

--
-- Name: pms_connections_tenant_id_software_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX pms_connections_tenant_id_software_id ON public.pms_connections USING btree (tenant_id, software_id);

--
-- Name: software_setup_steps_software_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX software_setup_steps_software_id ON public.software_setup_steps USING btree (software_id);

--
-- Name: software_setup_steps_software_id_order; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX software_setup_steps_software_id_order ON public.software_setup_steps USING btree (software_id, "order");

--
-- Name: softwares_category; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX softwares_category ON public.softwares USING btree (category);

--
-- Name: softwares_is_enabled; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX softwares_is_enabled ON public.softwares USING btree (is_enabled);

--
-- Name: softwares_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX softwares_key ON public.softwares USING btree (key);

--
-- Name: tenant_invitations_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tenant_invitations_email ON public.tenant_invitations USING btree (email);

--
-- Name: tenant_invitations_tenant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tenant_invitations_tenant_id ON public.tenant_invitations USING btree (tenant_id);

--
-- Name: tenant_invitations_token; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tenant_invitations_token ON public.tenant_invitations USING btree (token);

--
-- Name: tenant_users_tenant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tenant_users_tenant_id ON public.tenant_users USING btree (tenant_id);

--
-- Name: tenant_users_tenant_id_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX tenant_users_tenant_id_user_id ON public.tenant_users USING btree (tenant_id, user_id);

--
-- Name: tenant_users_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tenant_users_user_id ON public.tenant_users USING btree (user_id);

--
-- Name: uq_ar_aging_snapshots_connection_as_of; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_ar_aging_snapshots_connection_as_of ON public.ar_aging_snapshots USING btree (pms_connection_id, as_of_date);

--
-- Name: uq_ar_balances_lease_as_of; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_ar_balances_lease_as_of ON public.ar_balances USING btree (pms_lease_id, as_of_date);

--
-- Name: uq_ar_charges_connection_external; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_ar_charges_connection_external ON public.ar_charges USING btree (pms_connection_id, external_id);

--
-- Name: uq_ar_lease_aging_lease_as_of; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_ar_lease_aging_lease_as_of ON public.ar_lease_aging_snapshots USING btree (pms_lease_id, as_of_date);

--
-- Name: uq_ar_payments_connection_external; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_ar_payments_connection_external ON public.ar_payments USING btree (pms_connection_id, external_id);

--
-- Name: uq_ar_portfolio_aging_portfolio_as_of; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_ar_portfolio_aging_portfolio_as_of ON public.ar_portfolio_aging_snapshots USING btree (pms_portfolio_id, as_of_date);

--
-- Name: uq_case_automation_state_case_automation; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_case_automation_state_case_automation ON public.case_automation_state USING btree (debt_case_id, automation_id);

--
-- Name: uq_external_mappings_connection_entity_external; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_external_mappings_connection_entity_external ON public.external_mappings USING btree (pms_connection_id, entity_type, external_id);

--
-- Name: uq_pms_debtors_connection_external; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_pms_debtors_connection_external ON public.pms_debtors USING btree (pms_connection_id, external_id);

--
-- Name: uq_pms_leases_connection_external; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX uq_pms_leases_connection_external ON public.pms_leases USING btree (pms_connection_id, external_id);

--
-- Name: users_cognito_sub; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_cognito_sub ON public.users USING btree (cognito_sub);

--
-- Name: users_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_email ON public.users USING btree (email);

--
-- Name: ar_adjustments ar_adjustments_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_adjustments ar_adjustments_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_adjustments ar_adjustments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_adjustments
    ADD CONSTRAINT ar_adjustments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_aging_snapshots ar_aging_snapshots_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_aging_snapshots
    ADD CONSTRAINT ar_aging_snapshots_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_aging_snapshots ar_aging_snapshots_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_aging_snapshots
    ADD CONSTRAINT ar_aging_snapshots_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_balances ar_balances_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_balances ar_balances_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_balances ar_balances_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_balances
    ADD CONSTRAINT ar_balances_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_charges ar_charges_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_charges ar_charges_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_charges ar_charges_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_charges
    ADD CONSTRAINT ar_charges_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_lease_aging_snapshots ar_lease_aging_snapshots_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_lease_aging_snapshots
    ADD CONSTRAINT ar_lease_aging_snapshots_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_lease_aging_snapshots ar_lease_aging_snapshots_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_lease_aging_snapshots
    ADD CONSTRAINT ar_lease_aging_snapshots_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_lease_aging_snapshots ar_lease_aging_snapshots_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_lease_aging_snapshots
    ADD CONSTRAINT ar_lease_aging_snapshots_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_payments ar_payments_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_payments ar_payments_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_payments ar_payments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_payments
    ADD CONSTRAINT ar_payments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_portfolio_aging_snapshots ar_portfolio_aging_snapshots_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_portfolio_aging_snapshots
    ADD CONSTRAINT ar_portfolio_aging_snapshots_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_portfolio_aging_snapshots ar_portfolio_aging_snapshots_pms_portfolio_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_portfolio_aging_snapshots
    ADD CONSTRAINT ar_portfolio_aging_snapshots_pms_portfolio_id_fkey FOREIGN KEY (pms_portfolio_id) REFERENCES public.pms_portfolios(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: ar_portfolio_aging_snapshots ar_portfolio_aging_snapshots_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ar_portfolio_aging_snapshots
    ADD CONSTRAINT ar_portfolio_aging_snapshots_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: case_automation_state case_automation_state_automation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES public.collection_automations(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: case_automation_state case_automation_state_current_stage_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_current_stage_id_fkey FOREIGN KEY (current_stage_id) REFERENCES public.collection_stages(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: case_automation_state case_automation_state_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: case_automation_state case_automation_state_strategy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_automation_state
    ADD CONSTRAINT case_automation_state_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.collection_strategies(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: case_disputes case_disputes_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_disputes
    ADD CONSTRAINT case_disputes_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: case_disputes case_disputes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_disputes
    ADD CONSTRAINT case_disputes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_automations collection_automations_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_automations collection_automations_strategy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.collection_strategies(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_automations collection_automations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_automations
    ADD CONSTRAINT collection_automations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_events collection_events_automation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_events
    ADD CONSTRAINT collection_events_automation_id_fkey FOREIGN KEY (automation_id) REFERENCES public.collection_automations(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_events collection_events_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_events
    ADD CONSTRAINT collection_events_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_stages collection_stages_strategy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_stages
    ADD CONSTRAINT collection_stages_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.collection_strategies(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: collection_strategies collection_strategies_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collection_strategies
    ADD CONSTRAINT collection_strategies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_debtor_id_fkey FOREIGN KEY (debtor_id) REFERENCES public.debtors(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_flow_policy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_flow_policy_id_fkey FOREIGN KEY (flow_policy_id) REFERENCES public.flow_policies(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_import_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_import_batch_id_fkey FOREIGN KEY (import_batch_id) REFERENCES public.import_batches(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_pms_lease_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_pms_lease_id_fkey FOREIGN KEY (pms_lease_id) REFERENCES public.pms_leases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: debt_cases debt_cases_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debt_cases
    ADD CONSTRAINT debt_cases_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: debtors debtors_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.debtors
    ADD CONSTRAINT debtors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: external_mappings external_mappings_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.external_mappings
    ADD CONSTRAINT external_mappings_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: flow_policies flow_policies_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.flow_policies
    ADD CONSTRAINT flow_policies_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: import_batches import_batches_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.import_batches
    ADD CONSTRAINT import_batches_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: interaction_logs interaction_logs_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: interaction_logs interaction_logs_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_debtor_id_fkey FOREIGN KEY (debtor_id) REFERENCES public.debtors(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: interaction_logs interaction_logs_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_logs
    ADD CONSTRAINT interaction_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: payment_agreements payment_agreements_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_agreements
    ADD CONSTRAINT payment_agreements_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: payment_agreements payment_agreements_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_agreements
    ADD CONSTRAINT payment_agreements_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: payment_links payment_links_debt_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_debt_case_id_fkey FOREIGN KEY (debt_case_id) REFERENCES public.debt_cases(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: payment_links payment_links_payment_agreement_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_payment_agreement_id_fkey FOREIGN KEY (payment_agreement_id) REFERENCES public.payment_agreements(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: payment_links payment_links_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payment_links
    ADD CONSTRAINT payment_links_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_connections pms_connections_software_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_connections
    ADD CONSTRAINT pms_connections_software_id_fkey FOREIGN KEY (software_id) REFERENCES public.softwares(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_connections pms_connections_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_connections
    ADD CONSTRAINT pms_connections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_debtor_contacts pms_debtor_contacts_pms_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtor_contacts
    ADD CONSTRAINT pms_debtor_contacts_pms_debtor_id_fkey FOREIGN KEY (pms_debtor_id) REFERENCES public.pms_debtors(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_debtors pms_debtors_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtors
    ADD CONSTRAINT pms_debtors_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_debtors pms_debtors_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_debtors
    ADD CONSTRAINT pms_debtors_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_pms_debtor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_debtor_id_fkey FOREIGN KEY (pms_debtor_id) REFERENCES public.pms_debtors(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_pms_property_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_property_id_fkey FOREIGN KEY (pms_property_id) REFERENCES public.pms_properties(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_pms_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_pms_unit_id_fkey FOREIGN KEY (pms_unit_id) REFERENCES public.pms_units(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_leases pms_leases_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_leases
    ADD CONSTRAINT pms_leases_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_portfolios pms_portfolios_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_portfolios
    ADD CONSTRAINT pms_portfolios_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_portfolios pms_portfolios_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_portfolios
    ADD CONSTRAINT pms_portfolios_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_properties pms_properties_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT pms_properties_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_properties pms_properties_pms_portfolio_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT pms_properties_pms_portfolio_id_fkey FOREIGN KEY (pms_portfolio_id) REFERENCES public.pms_portfolios(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_properties pms_properties_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_properties
    ADD CONSTRAINT pms_properties_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_units pms_units_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_units pms_units_pms_property_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_pms_property_id_fkey FOREIGN KEY (pms_property_id) REFERENCES public.pms_properties(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: pms_units pms_units_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pms_units
    ADD CONSTRAINT pms_units_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: software_setup_steps software_setup_steps_software_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.software_setup_steps
    ADD CONSTRAINT software_setup_steps_software_id_fkey FOREIGN KEY (software_id) REFERENCES public.softwares(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: sync_runs sync_runs_pms_connection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sync_runs
    ADD CONSTRAINT sync_runs_pms_connection_id_fkey FOREIGN KEY (pms_connection_id) REFERENCES public.pms_connections(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_brandings tenant_brandings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_brandings
    ADD CONSTRAINT tenant_brandings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_invitations tenant_invitations_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_invitations
    ADD CONSTRAINT tenant_invitations_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_invitations tenant_invitations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_invitations
    ADD CONSTRAINT tenant_invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_message_attachments tenant_message_attachments_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_message_attachments
    ADD CONSTRAINT tenant_message_attachments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_message_templates tenant_message_templates_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_message_templates
    ADD CONSTRAINT tenant_message_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_payment_channels tenant_payment_channels_channel_type_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_payment_channels
    ADD CONSTRAINT tenant_payment_channels_channel_type_id_fkey FOREIGN KEY (channel_type_id) REFERENCES public.payment_channel_types(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_payment_channels tenant_payment_channels_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_payment_channels
    ADD CONSTRAINT tenant_payment_channels_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_subscriptions tenant_subscriptions_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_subscriptions
    ADD CONSTRAINT tenant_subscriptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_users tenant_users_tenant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_users
    ADD CONSTRAINT tenant_users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES public.tenants(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- Name: tenant_users tenant_users_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tenant_users
    ADD CONSTRAINT tenant_users_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE SET NULL;

--
-- PostgreSQL database dump complete
--

