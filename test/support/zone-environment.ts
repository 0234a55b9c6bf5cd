/**
 * Jest's Node environment in a time zone of the project's choosing
 * (`testEnvironmentOptions.timezone`, an IANA name): the worker process's
 * zone is set while one test file runs and put back after it. Node applies a
 * change of `TZ` at once, so `Date`'s local fields and `Intl` follow it; the
 * PostgreSQL sessions the file opens are in that zone too.
 * Used by jest.config.js to run the date and deadline tests under
 * Asia/Shanghai, UTC and America/Los_Angeles.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

export default class ZoneEnvironment extends NodeEnvironment {
  private readonly zoneBefore: string | undefined;
  private readonly optionsBefore: string | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    const zone = config.projectConfig.testEnvironmentOptions['timezone'];
    if (typeof zone !== 'string') throw new Error('zone-environment: testEnvironmentOptions.timezone is required');
    const before = process.env['TZ'];
    const optionsBefore = process.env['PGOPTIONS'];
    // Before the test's own `process` is made from ours, so the test reads the zone it runs in; node-postgres
    // sends PGOPTIONS at connection, so the database sessions the test opens keep the zone too.
    process.env['TZ'] = zone;
    process.env['PGOPTIONS'] = `-c TimeZone=${zone}`;
    super(config, context);
    this.zoneBefore = before;
    this.optionsBefore = optionsBefore;
  }

  override async teardown(): Promise<void> {
    if (this.zoneBefore === undefined) delete process.env['TZ'];
    else process.env['TZ'] = this.zoneBefore;
    if (this.optionsBefore === undefined) delete process.env['PGOPTIONS'];
    else process.env['PGOPTIONS'] = this.optionsBefore;
    await super.teardown();
  }
}
