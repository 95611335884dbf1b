import nunjucks from 'nunjucks';

/**
 * Rendering of the API's message templates (tenant_message_templates), with the API's semantics:
 *  - SMS bodies: `{{ name }}` placeholders (letters, digits, underscore) replaced by the variable, an
 *    unknown or empty variable by nothing; no other syntax. Variables: tenant_name, debtor_name,
 *    payment_link, link.
 *  - Emails: Nunjucks (the API's engine) with trimBlocks/lstripBlocks; subject on one line, text with
 *    trimmed lines; HTML autoescaped; a plain-text body becomes paragraphs. Variables: the API's list
 *    (tenant_name, debtor_name, amount_due, days_past_due, stage_name, payment_link, ...).
 * Differences on purpose: the text part of an email is not HTML-escaped (the API's single
 * autoescaping environment turns "O'Brien" into "O&#39;Brien" in plain text), and the email is wrapped
 * in this project's own minimal layout instead of the API's branded one.
 */

export interface TemplateRow {
  id: string;
  name: string;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
}

export interface CaseVariablesInput {
  tenantName: string | null;
  debtorName: string | null;
  debtorEmail: string | null;
  amountDueCents: number | string | null;
  currency: string | null;
  daysPastDue: number | null;
  dueDate: string | null;
  stageName: string | null;
  paymentLink: string | null;
  caseId: string;
  meta: Record<string, unknown> | null;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

export function smsVariables(v: CaseVariablesInput): Record<string, string> {
  return { tenant_name: v.tenantName ?? '', debtor_name: v.debtorName || 'there', payment_link: v.paymentLink ?? '', link: v.paymentLink ?? '' };
}

export function renderSmsTemplate(template: string, vars: Record<string, unknown>): string {
  return template
    .replace(PLACEHOLDER, (_m, key: string) => {
      const value = Object.prototype.hasOwnProperty.call(vars, key) ? vars[key] : undefined;
      return value === undefined || value === null ? '' : String(value);
    })
    .trim();
}

export function formatMoney(cents: number | string | null, currency: string | null): string {
  const cur = currency || 'USD';
  const n = Number(cents);
  if (!Number.isFinite(n)) return `0.00 ${cur}`;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: cur, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n / 100);
  } catch {
    return `${(n / 100).toFixed(2)} ${cur}`;
  }
}

export function emailVariables(v: CaseVariablesInput): Record<string, unknown> {
  const meta = (v.meta ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => meta[k]).find((x) => x !== undefined && x !== null && x !== '');
  return {
    tenant_name: v.tenantName ?? '',
    debtor_name: v.debtorName || 'there',
    debtor_email: v.debtorEmail ?? '',
    amount_due: formatMoney(v.amountDueCents, v.currency),
    amount_due_cents: Number(v.amountDueCents ?? 0),
    currency: v.currency || 'USD',
    days_past_due: v.daysPastDue === null || !Number.isFinite(Number(v.daysPastDue)) ? 'N/A' : String(v.daysPastDue),
    due_date: v.dueDate ?? '',
    stage_name: v.stageName || 'collection stage',
    payment_link: v.paymentLink ?? '',
    case_id: v.caseId,
    property_name: pick('property_name', 'propertyName') ?? 'your account',
    unit_number: pick('unit_number', 'unitNumber') ?? '',
    lease_number: pick('lease_number', 'leaseNumber', 'lease_id') ?? '',
  };
}

const htmlEnv = new nunjucks.Environment(null, { autoescape: true, trimBlocks: true, lstripBlocks: true, throwOnUndefined: false });
const textEnv = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: true, throwOnUndefined: false });

export class TemplateRenderError extends Error {
  constructor(
    readonly templateId: string,
    readonly part: string,
    cause: unknown,
  ) {
    super(`template ${templateId} (${part}) does not render: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TemplateRenderError';
  }
}

function render(env: nunjucks.Environment, t: TemplateRow, part: string, src: string, vars: Record<string, unknown>): string {
  try {
    return env.renderString(src, vars);
  } catch (err) {
    throw new TemplateRenderError(t.id, part, err);
  }
}

const inline = (s: string) => s.replace(/\s+/g, ' ').trim();
const multiline = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .join('\n');

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Plain text as HTML paragraphs (blank line = new paragraph), links made clickable. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${p.split('\n').map((l) => escapeHtml(l).replace(/(https?:\/\/[^\s<&]+)/g, '<a href="$1">$1</a>')).join('<br />')}</p>`)
    .join('\n');
}

const looksLikeHtml = (s: string | null) => !!s && /<[^>]+>/.test(s);

export interface RenderedEmail {
  subject: string;
  text: string;
  /** the body only (no layout) */
  bodyHtml: string;
}

export function renderEmailTemplate(t: TemplateRow, vars: Record<string, unknown>): RenderedEmail {
  const htmlSrc = looksLikeHtml(t.body_html) ? (t.body_html as string) : null;
  // a tenant may have typed plain text into the HTML field: it is the text then
  const textSrc = t.body_text && t.body_text.trim() !== '' ? t.body_text : !htmlSrc && t.body_html ? t.body_html : null;
  const text = textSrc ? multiline(render(textEnv, t, 'body_text', textSrc, vars)) : '';
  const bodyHtml = htmlSrc
    ? render(htmlEnv, t, 'body_html', htmlSrc, vars)
        .replace(/<!doctype[^>]*>/gi, '')
        .replace(/<\/?(html|head|body)[^>]*>/gi, '')
        .trim()
    : textToHtml(text);
  const subjectSrc = t.subject && t.subject.trim() !== '' ? t.subject : null;
  const subject = (subjectSrc ? inline(render(textEnv, t, 'subject', subjectSrc, vars)) : '') || `Payment reminder from ${String(vars.tenant_name || '') || 'your collections team'}`;
  // an HTML-only template still needs a text part: the HTML without its tags
  const textOut = text || multiline(bodyHtml.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n\n').replace(/<[^>]+>/g, ''));
  return { subject, text: textOut, bodyHtml };
}
