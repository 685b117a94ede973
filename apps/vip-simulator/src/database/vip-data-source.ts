import { ServiceDataSourceOptions } from '@app/database';

import { CredentialEntity } from '../credentials/credential.entity';
import { ValidationEventEntity } from '../reports/validation-event.entity';
import { CredentialBindingEntity } from '../vip-users/credential-binding.entity';
import { TemporaryCodeEntity } from '../vip-users/temporary-code.entity';
import { VipUserEntity } from '../vip-users/vip-user.entity';
import { CreateVipTables1764860000000 } from './migrations/1764860000000-create-vip-tables';

export const VIP_ENTITIES = [
  CredentialEntity,
  VipUserEntity,
  CredentialBindingEntity,
  TemporaryCodeEntity,
  ValidationEventEntity,
];

export const VIP_MIGRATIONS = [CreateVipTables1764860000000];

/**
 * Data-source options of the simulator: its schema, entities and migrations.
 * Its statements find rows by key, except the usage report's scan of one
 * time range, so generic plans serve them as well as custom ones. The
 * prepared statements of the authentication path then skip planning, which
 * cost about 0.2 ms of PostgreSQL CPU per statement.
 */
export function vipDataSourceOptions(url: string, schema: string): ServiceDataSourceOptions {
  return {
    url,
    schema,
    entities: VIP_ENTITIES,
    migrations: VIP_MIGRATIONS,
    applicationName: 'vip-simulator',
    planCacheMode: 'force_generic_plan',
  };
}
