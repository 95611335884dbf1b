import { Module } from '@nestjs/common';
import { CallRulesLoader } from './call-rules.loader';

/** The call rules (docs/call-rules.md): pure evaluation plus the loader that fills its input from Postgres. */
@Module({
  providers: [CallRulesLoader],
  exports: [CallRulesLoader],
})
export class CallRulesModule {}
