import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors/connectors.module';
import { CallRulesModule } from './rules';
import { CpsLimiter } from './twilio/cps-limiter';
import { TwilioVoiceClient } from './twilio/twilio-voice.client';
import { S3SummaryStore } from './summary/s3-summary.store';
import { PreDialFreshness } from './pre-dial-freshness.service';
import { CallsRepository, callsRepositoryProvider } from './calls.repository';

/** Calls: their rows (CallsRepository), the Twilio voice client, the shared CPS limiter, the S3 summary store, pre-dial freshness, and the rules. */
@Module({
  imports: [ConnectorsModule, CallRulesModule],
  providers: [callsRepositoryProvider, TwilioVoiceClient, CpsLimiter, S3SummaryStore, PreDialFreshness],
  exports: [CallsRepository, TwilioVoiceClient, CpsLimiter, S3SummaryStore, PreDialFreshness, CallRulesModule],
})
export class CallsModule {}
