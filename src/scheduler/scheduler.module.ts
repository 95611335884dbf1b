import { Module } from '@nestjs/common';

/** Scheduler capability: claims and enqueues. (Foundation stub: the scheduler issue fills it.) */
@Module({})
export class SchedulerModule {}
