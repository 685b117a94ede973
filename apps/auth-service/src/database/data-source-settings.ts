import { ServiceDataSourceOptions } from '@app/database';

import { AUTH_ENTITIES } from './entities';
import { CreateAuthSchema1764864000000 } from './migrations/1764864000000-create-auth-schema';
import { AuthConfig } from '../config/auth-config';

/** Database settings of the auth service: its schema, entities and migrations. */
export function authDataSourceSettings(config: AuthConfig): ServiceDataSourceOptions {
  return {
    url: config.DATABASE_URL,
    schema: config.AUTH_DB_SCHEMA,
    entities: AUTH_ENTITIES,
    migrations: [CreateAuthSchema1764864000000],
    applicationName: 'auth-service',
  };
}
