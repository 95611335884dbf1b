import { escapeHtml } from './templates';

/**
 * The opt-out notice Regulation F (12 CFR 1006.6(e)) requires in every electronic communication: a
 * clear and conspicuous statement of a reasonable and simple way to opt out of further messages
 * to that address or number. Appended by the worker to every SMS and email, whatever the template.
 *
 *  - SMS: "Reply STOP to opt out." (STOP is honoured by Twilio and the carriers themselves; a later
 *    send to the number fails with 21610, which marks the channel opted-out here.) A template that
 *    already tells the reader to reply STOP is not given a second line.
 *  - Email: "To stop receiving emails from <sender> about this account, reply to this email with
 *    STOP" and, when EMAIL_UNSUBSCRIBE_URL is set, "or visit <url>".
 */

export const SMS_OPT_OUT = 'Reply STOP to opt out.';

const HAS_SMS_OPT_OUT = /\breply\s+["']?stop\b|\bstop\s*(=|to)\s*(opt[\s-]?out|unsubscribe|end|quit|cancel)/i;

export function withSmsOptOut(body: string): string {
  const b = body.trim();
  if (HAS_SMS_OPT_OUT.test(b)) return b;
  return b === '' ? SMS_OPT_OUT : `${b}\n${SMS_OPT_OUT}`;
}

export function emailOptOutText(sender: string, unsubscribeUrl?: string | null): string {
  const who = sender.trim() || 'us';
  return `To stop receiving emails from ${who} about this account, reply to this email with STOP${unsubscribeUrl ? ` or visit ${unsubscribeUrl}` : ''}.`;
}

export function emailOptOutHtml(sender: string, unsubscribeUrl?: string | null): string {
  const who = escapeHtml(sender.trim() || 'us');
  const link = unsubscribeUrl ? ` or <a href="${escapeHtml(unsubscribeUrl)}">unsubscribe here</a>` : '';
  return `To stop receiving emails from ${who} about this account, reply to this email with STOP${link}.`;
}

/** The final text and HTML of an email: the rendered body, then the sender line and the opt-out. */
export function composeEmail(r: { subject: string; text: string; bodyHtml: string }, sender: string, unsubscribeUrl?: string | null): { subject: string; text: string; html: string } {
  const optText = emailOptOutText(sender, unsubscribeUrl);
  const text = `${r.text.trim()}\n\n--\n${optText}`;
  const html = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#111827;">',
    `<div>${r.bodyHtml}</div>`,
    `<hr style="border:none;border-top:1px solid #e5e7eb;margin:24px 0 12px;" />`,
    `<p style="font-size:12px;color:#6b7280;">${emailOptOutHtml(sender, unsubscribeUrl)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: r.subject, text, html };
}
