import { SchemaGuardModule } from '../database/schema/schema-guard.module';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { OpsHttpServer } from './ops-http.server';
import { OpsRepository } from './ops.repository';
import { WorkerHosts } from './worker-hosts';

/** Operator HTTP of the worker (health, Prometheus metrics, Bull Board): off unless METRICS_PORT is set. */
@Module({
  imports: [DiscoveryModule, SchemaGuardModule],
  providers: [OpsRepository, WorkerHosts, HealthService, MetricsService, OpsHttpServer],
  exports: [MetricsService, HealthService],
})
export class OpsModule {}
