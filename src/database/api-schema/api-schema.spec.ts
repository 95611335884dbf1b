import { API_TABLES_COMMIT, apiSchemaSql, apiSoftwareSeeds, apiTables, tablesInSchemaSql, type ApiSchemaVariant } from './api-schema';

describe('api-schema fixtures', () => {
  it.each(['models', 'migrations'] as const)('%s.sql names API_TABLES_COMMIT in its header', (variant) => {
    expect(apiSchemaSql(variant).split('\n')[1]).toBe(`-- API commit: ${API_TABLES_COMMIT}`);
  });

  it.each(['models', 'migrations'] as const)('%s.sql holds no psql meta-command and no session setting', (variant) => {
    const sql = apiSchemaSql(variant);
    expect(sql).not.toMatch(/^\\/m);
    expect(sql).not.toMatch(/^SET /m);
    expect(sql).not.toMatch(/set_config\('search_path'/);
  });

  it('lists the 42 tables of the API models, the 34 of its SQL migrations among them', () => {
    const models = apiTables('models');
    const migrations = apiTables('migrations');
    expect(models).toHaveLength(42);
    expect(migrations).toHaveLength(34);
    expect(models).toEqual(expect.arrayContaining(['interaction_logs', 'debt_cases', 'sync_runs', 'softwares', 'users']));
    expect(models.filter((t) => !migrations.includes(t))).toEqual([
      'ar_lease_aging_snapshots',
      'ar_portfolio_aging_snapshots',
      'discovery_sessions',
      'pms_portfolios',
      'tenant_invitations',
      'tenant_subscriptions',
      'tenant_users',
      'users',
    ]);
    expect(migrations.filter((t) => !models.includes(t))).toEqual([]);
    expect(apiTables()).toEqual(models);
  });

  it('declares the API ENUM type names of each variant', () => {
    expect(apiSchemaSql('models')).toContain('CREATE TYPE public.enum_interaction_logs_outcome AS ENUM');
    expect(apiSchemaSql('models')).not.toContain('CREATE TYPE public.interaction_log_outcome AS ENUM');
    expect(apiSchemaSql('migrations')).toContain('CREATE TYPE public.interaction_log_outcome AS ENUM');
  });

  it('parses only public CREATE TABLE lines, once each, sorted', () => {
    const sql = ['CREATE TABLE public.b (', 'CREATE TABLE public."a" (', '  CREATE TABLE public.x (', 'CREATE TABLE other.c (', 'CREATE TABLE public.b ('].join('\n');
    expect(tablesInSchemaSql(sql)).toEqual(['a', 'b']);
  });

  it('rejects an unknown variant, naming it', () => {
    expect(() => apiSchemaSql('prod' as ApiSchemaVariant)).toThrow("apiSchemaSql: unknown variant 'prod' (expected models or migrations)");
  });

  it('holds the API seed rows of buildium and rentvine', () => {
    const seeds = apiSoftwareSeeds();
    expect(seeds.map((s) => [s.key, s.category, s.auth_type])).toEqual([
      ['buildium', 'property_manager', 'apiKey'],
      ['rentvine', 'property_manager', 'apiKey'],
    ]);
    expect(seeds[0].auth_config.requiredFields).toEqual(['clientId', 'clientSecret']);
    expect(seeds[1].auth_config.requiredFields).toEqual(['accessKey', 'secret', 'account']);
  });
});
