import { Module } from '@nestjs/common';
import { SchemaGuardService } from './schema-guard.service';

/** Imported by the worker and the scheduler (not the CLI): see SchemaGuardService. */
@Module({ providers: [SchemaGuardService], exports: [SchemaGuardService] })
export class SchemaGuardModule {}
