import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { CredentialState, ValidationOutcome } from '@app/contract';
import { pgPoolOf, tableNameOf } from '@app/database';

import { StatementBatcher } from '../common/statement-batcher';
import { CredentialEntity } from '../credentials/credential.entity';
import { ValidationEventEntity } from '../reports/validation-event.entity';
import { CredentialBindingEntity } from './credential-binding.entity';
import { TemporaryCodeEntity } from './temporary-code.entity';

/** A code that matched a bound credential at `step`, computed with `driftSteps`. */
export interface AcceptanceRequest {
  vipUserId: string;
  credentialId: string;
  step: number;
  driftSteps: number;
}

export interface AcceptanceResult {
  accepted: boolean;
  clearedTemporaryCode: boolean;
}

/**
 * Accepts matched codes in PostgreSQL, concurrent requests sharing one
 * statement (see StatementBatcher).
 *
 * Each acceptance moves the credential's replay mark to the matched step,
 * resets its failure count, deletes the user's temporary code and records the
 * success for the usage report. It happens only if, at that moment, the
 * credential is still bound to the user, is ENABLED, has the drift the step
 * was computed with, and has a replay mark before the step. Otherwise the
 * acceptance changes nothing and reports `accepted: false`, so of several
 * concurrent requests with one code exactly one wins. A group never contains two
 * requests for the same credential or the same user.
 */
@Injectable()
export class AuthenticationAcceptor {
  private readonly pool: Pool;
  private readonly sql: string;
  private readonly batcher = new StatementBatcher<AcceptanceRequest, AcceptanceResult>({
    run: (requests) => this.acceptGroup(requests),
    maxGroupSize: 64,
    maxGroupsInFlight: 1,
    keysOf: (request) => [`credential:${request.credentialId}`, `user:${request.vipUserId}`],
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = pgPoolOf(dataSource);
    this.sql = buildAcceptanceSql({
      credentials: tableNameOf(dataSource, CredentialEntity),
      bindings: tableNameOf(dataSource, CredentialBindingEntity),
      temporaryCodes: tableNameOf(dataSource, TemporaryCodeEntity),
      events: tableNameOf(dataSource, ValidationEventEntity),
    });
  }

  accept(request: AcceptanceRequest): Promise<AcceptanceResult> {
    return this.batcher.submit(request);
  }

  private async acceptGroup(requests: AcceptanceRequest[]): Promise<AcceptanceResult[]> {
    const result = await this.pool.query<{ index: number; cleared: boolean }>({
      name: 'vip_accept_authentications',
      text: this.sql,
      values: [
        requests.map((request) => request.credentialId),
        requests.map((request) => request.vipUserId),
        requests.map((request) => request.step),
        requests.map((request) => request.driftSteps),
        CredentialState.Enabled,
        ValidationOutcome.Success,
      ],
    });
    const clearedByIndex = new Map(result.rows.map((row) => [row.index, row.cleared]));

    return requests.map((_request, index) => {
      const cleared = clearedByIndex.get(index + 1);

      return { accepted: cleared !== undefined, clearedTemporaryCode: cleared === true };
    });
  }
}

/**
 * Builds the acceptance statement. Parameters: $1 credential IDs, $2 user
 * IDs, $3 steps, $4 drifts (arrays of one length), $5 the ENABLED state and
 * $6 the success outcome. Returns one row per accepted request with its
 * 1-based position and whether a temporary code was deleted.
 */
export function buildAcceptanceSql(tables: {
  credentials: string;
  bindings: string;
  temporaryCodes: string;
  events: string;
}): string {
  return `
    WITH requested AS (
      SELECT *
        FROM unnest($1::varchar[], $2::varchar[], $3::integer[], $4::integer[])
             WITH ORDINALITY AS r(credential_id, vip_user_id, step, drift_steps, index)
    ), bound AS MATERIALIZED (
      -- Locking the binding rows first makes a concurrent unbind wait for
      -- this statement, and skips a binding whose delete committed while the
      -- statement waited. An EXISTS test would see the statement's snapshot.
      -- The LATERAL subquery cannot be flattened (OFFSET 0), so each binding
      -- is found through its primary key even in a generic plan built from
      -- stale statistics.
      SELECT r.*
        FROM requested r
       CROSS JOIN LATERAL (
             SELECT 1
               FROM ${tables.bindings} b
              WHERE b.vip_user_id = r.vip_user_id AND b.credential_id = r.credential_id
             OFFSET 0
                FOR SHARE OF b) b
    ), accepted AS (
      UPDATE ${tables.credentials} AS c
         SET last_accepted_step = r.step, failed_attempts = 0,
             last_validated_at = now(), updated_at = now()
        FROM bound r
       WHERE c.credential_id = r.credential_id
         AND c.state = $5
         AND c.drift_steps = r.drift_steps
         AND c.last_accepted_step < r.step
      RETURNING r.index, r.vip_user_id, c.credential_id, c.type
    ), cleared AS (
      DELETE FROM ${tables.temporaryCodes} t
       USING accepted a
       WHERE t.vip_user_id = a.vip_user_id
      RETURNING t.vip_user_id
    ), recorded AS (
      INSERT INTO ${tables.events} (operation, vip_user_id, credential_id, credential_type, outcome)
      SELECT 'AUTHENTICATE', vip_user_id, credential_id, type, $6 FROM accepted
    )
    SELECT a.index::int AS index,
           EXISTS (SELECT 1 FROM cleared c WHERE c.vip_user_id = a.vip_user_id) AS cleared
      FROM accepted a`;
}
