import { dropDatabase } from './db';
import { TEMPLATE_DB_ENV } from './env';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_DB_ENV];
  if (template) await dropDatabase(template);
}
