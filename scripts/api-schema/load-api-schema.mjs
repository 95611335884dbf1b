// Runs the API's own database loader (models + DB_SYNC_MODE from the environment) against
// DB_NAME, then closes its Sequelize so the process exits. Usage:
//   node load-api-schema.mjs <path of an API checkout>
// The API's code is imported from the checkout by path; nothing of it lives in this repository.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const checkout = process.argv[2];
if (!checkout) {
  console.error('usage: node load-api-schema.mjs <api checkout>');
  process.exit(2);
}
const moduleUrl = (rel) => pathToFileURL(resolve(checkout, rel)).href;

const { loadDatabase } = await import(moduleUrl('src/loaders/sequelize.load.js'));
// The loader and the config share one module instance (same URL), so this is the sequelize it used.
const { sequelize } = await import(moduleUrl('src/config/database.js'));
try {
  if (!sequelize) throw new Error('the API did not create a Sequelize instance (DB_* variables incomplete or DB_ENABLED=false)');
  await loadDatabase();
} finally {
  await sequelize?.close();
}
