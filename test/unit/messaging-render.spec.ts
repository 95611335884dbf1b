import { emailVariables, formatMoney, renderEmailTemplate, renderSmsTemplate, smsVariables, TemplateRenderError, textToHtml } from '../../src/messaging/templates';
import { composeEmail, SMS_OPT_OUT, withSmsOptOut } from '../../src/messaging/opt-out';

const vars = {
  tenantName: 'Acme & Sons',
  debtorName: "Pat O'Brien",
  debtorEmail: 'pat@mail.example',
  amountDueCents: '123456',
  currency: 'USD',
  daysPastDue: 42,
  dueDate: '2026-10-01',
  stageName: 'Final',
  paymentLink: 'https://pay.example/p/abc',
  caseId: '00000000-0000-0000-0000-000000000001',
  meta: { propertyName: 'Elm Row', unit_number: '7' },
};
const tpl = (o: Partial<{ subject: string | null; body_text: string | null; body_html: string | null }>) => ({ id: 't1', name: 'T', subject: null, body_text: null, body_html: null, ...o });

describe('SMS rendering (the API placeholder syntax)', () => {
  it('replaces {{ name }} with or without spaces; unknown and empty variables become nothing; no other syntax', () => {
    expect(renderSmsTemplate('  Hi {{debtor_name}} / {{ tenant_name }} {{ link }}{{ nope }} {% if x %}  ', smsVariables(vars))).toBe("Hi Pat O'Brien / Acme & Sons https://pay.example/p/abc {% if x %}");
    expect(renderSmsTemplate('{{ debtor_name }}', smsVariables({ ...vars, debtorName: null }))).toBe('there');
    expect(renderSmsTemplate('{{ constructor }}{{ toString }}', smsVariables(vars))).toBe('');
  });

  it('appends "Reply STOP to opt out." unless the body already tells how to opt out', () => {
    expect(withSmsOptOut('Pay now')).toBe(`Pay now\n${SMS_OPT_OUT}`);
    expect(withSmsOptOut('Pay now. Reply STOP to unsubscribe')).toBe('Pay now. Reply STOP to unsubscribe');
    expect(withSmsOptOut('Pay now STOP=opt out.')).toBe('Pay now STOP=opt out.');
    expect(withSmsOptOut('Do not stop paying')).toBe(`Do not stop paying\n${SMS_OPT_OUT}`);
  });
});

describe('email rendering (Nunjucks, the API variables)', () => {
  it('gives the API variables, money in en-US currency', () => {
    const v = emailVariables(vars);
    expect(v).toMatchObject({ amount_due: '$1,234.56', days_past_due: '42', property_name: 'Elm Row', unit_number: '7', lease_number: '', stage_name: 'Final' });
    expect(formatMoney('n/a', 'USD')).toBe('0.00 USD');
    expect(formatMoney(null, null)).toBe('$0.00');
    expect(formatMoney(500, 'EUR')).toBe('€5.00');
  });

  it('escapes variables in HTML but not in the text part; subject on one line', () => {
    const r = renderEmailTemplate(tpl({ subject: ' Hi\n {{ debtor_name }} ', body_text: '  {{ debtor_name }} owes {{ amount_due }}  \n  {{ tenant_name }}', body_html: '<p>{{ debtor_name }} &mdash; {{ tenant_name }}</p>' }), emailVariables(vars));
    expect(r.subject).toBe("Hi Pat O'Brien");
    expect(r.text).toBe("Pat O'Brien owes $1,234.56\nAcme & Sons");
    expect(r.bodyHtml).toBe('<p>Pat O&#39;Brien &mdash; Acme &amp; Sons</p>');
  });

  it('plain text typed into the HTML field is the text, shown as paragraphs with links; a missing subject is the API default', () => {
    const r = renderEmailTemplate(tpl({ body_text: '', body_html: 'Hello {{ debtor_name }}\n\nPay {{ payment_link }}' }), emailVariables(vars));
    expect(r.text).toBe("Hello Pat O'Brien\n\nPay https://pay.example/p/abc");
    expect(r.bodyHtml).toBe('<p>Hello Pat O&#39;Brien</p>\n<p>Pay <a href="https://pay.example/p/abc">https://pay.example/p/abc</a></p>');
    expect(r.subject).toBe('Payment reminder from Acme & Sons');
    expect(textToHtml('a <b>\nc')).toBe('<p>a &lt;b&gt;<br />c</p>');
  });

  it('an HTML-only template still gets a text part; a full document is unwrapped', () => {
    const r = renderEmailTemplate(tpl({ body_html: '<!doctype html><html><body><p>One</p><p>Two<br/>Three</p></body></html>' }), emailVariables(vars));
    expect(r.bodyHtml).toBe('<p>One</p><p>Two<br/>Three</p>');
    expect(r.text).toBe('One\n\nTwo\nThree');
  });

  it('a template that does not parse is an error naming the template and the part', () => {
    expect(() => renderEmailTemplate(tpl({ body_text: 'Hi {% if %}' }), emailVariables(vars))).toThrow(TemplateRenderError);
    expect(() => renderEmailTemplate(tpl({ body_text: 'Hi {% if %}' }), emailVariables(vars))).toThrow(/template t1 \(body_text\)/);
  });

  it('every email ends with the sender line and the opt-out, in text and HTML', () => {
    const m = composeEmail({ subject: 's', text: 'Body', bodyHtml: '<p>Body</p>' }, 'Acme <Co>', 'https://x.example/u?a=1&b=2');
    expect(m.text).toBe('Body\n\n--\nTo stop receiving emails from Acme <Co> about this account, reply to this email with STOP or visit https://x.example/u?a=1&b=2.');
    expect(m.html).toContain('emails from Acme &lt;Co&gt; about this account, reply to this email with STOP or <a href="https://x.example/u?a=1&amp;b=2">unsubscribe here</a>.');
    expect(composeEmail({ subject: 's', text: 'B', bodyHtml: 'B' }, '', null).text).toMatch(/emails from us about this account, reply to this email with STOP\.$/);
  });
});
