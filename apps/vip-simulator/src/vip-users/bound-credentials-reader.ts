import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { CredentialState, CredentialType, DisableReason } from '@app/contract';
import { pgPoolOf, tableNameOf } from '@app/database';

import { StatementBatcher } from '../common/statement-batcher';
import { CredentialEntity } from '../credentials/credential.entity';
import { CredentialBindingEntity } from './credential-binding.entity';

interface BoundCredentialRow {
  vip_user_id: string;
  credential_id: string;
  type: CredentialType;
  state: CredentialState;
  disabled_reason: DisableReason | null;
  secret_iv: Buffer;
  secret_ciphertext: Buffer;
  secret_auth_tag: Buffer;
  failed_attempts: number;
  last_accepted_step: number;
  drift_steps: number;
  last_validated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Reads the credentials bound to a user, ordered by credential ID, for the
 * authentication path. Concurrent reads share one SELECT (see
 * StatementBatcher), which is sent as a named prepared statement on the pool.
 *
 * Generic plans are built from the statistics of the moment and kept until
 * the next ANALYZE. A LATERAL subquery with `OFFSET 0` cannot be flattened, so each
 * user is found through the bindings' primary key even when the statistics
 * are stale. The earlier `vip_user_id = ANY($1)` form was planned as
 * sequential scans of both tables on tables grown since their last ANALYZE.
 */
@Injectable()
export class BoundCredentialsReader {
  private readonly pool: Pool;
  private readonly sql: string;
  private readonly batcher = new StatementBatcher<string, CredentialEntity[]>({
    run: (vipUserIds) => this.readGroup(vipUserIds),
    maxGroupSize: 64,
    maxGroupsInFlight: 1,
  });

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = pgPoolOf(dataSource);
    this.sql = buildBoundCredentialsSql({
      credentials: tableNameOf(dataSource, CredentialEntity),
      bindings: tableNameOf(dataSource, CredentialBindingEntity),
    });
  }

  read(vipUserId: string): Promise<CredentialEntity[]> {
    return this.batcher.submit(vipUserId);
  }

  private async readGroup(vipUserIds: string[]): Promise<CredentialEntity[][]> {
    const result = await this.pool.query<BoundCredentialRow>({
      name: 'vip_read_bound_credentials',
      text: this.sql,
      values: [[...new Set(vipUserIds)]],
    });
    const byUser = new Map<string, BoundCredentialRow[]>();
    for (const row of result.rows) {
      const rows = byUser.get(row.vip_user_id) ?? [];
      rows.push(row);
      byUser.set(row.vip_user_id, rows);
    }

    return vipUserIds.map((vipUserId) => (byUser.get(vipUserId) ?? []).map(toEntity));
  }
}

function toEntity(row: BoundCredentialRow): CredentialEntity {
  return Object.assign(new CredentialEntity(), {
    credentialId: row.credential_id,
    type: row.type,
    state: row.state,
    disabledReason: row.disabled_reason,
    secretIv: row.secret_iv,
    secretCiphertext: row.secret_ciphertext,
    secretAuthTag: row.secret_auth_tag,
    failedAttempts: row.failed_attempts,
    lastAcceptedStep: row.last_accepted_step,
    driftSteps: row.drift_steps,
    lastValidatedAt: row.last_validated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/**
 * Builds the read statement. Parameter: $1 the user IDs. Returns the user ID
 * and the credential's columns for each binding, ordered by user and
 * credential.
 */
export function buildBoundCredentialsSql(tables: {
  credentials: string;
  bindings: string;
}): string {
  return `
    SELECT u.vip_user_id, c.credential_id, c.type, c.state, c.disabled_reason,
           c.secret_iv, c.secret_ciphertext, c.secret_auth_tag, c.failed_attempts,
           c.last_accepted_step, c.drift_steps, c.last_validated_at, c.created_at, c.updated_at
      FROM unnest($1::varchar[]) AS u(vip_user_id)
     CROSS JOIN LATERAL (
           SELECT c.*
             FROM ${tables.bindings} b
             JOIN ${tables.credentials} c ON c.credential_id = b.credential_id
            WHERE b.vip_user_id = u.vip_user_id
           OFFSET 0) c
     ORDER BY u.vip_user_id, c.credential_id`;
}
