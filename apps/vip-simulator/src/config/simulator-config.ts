import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { MAX_TEMPORARY_CODE_SECONDS } from '@app/contract';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const HOST_PATTERN = /^[A-Za-z0-9.:-]+$/;

/** Settings of the VIP simulator, read from the environment and validated at start-up. */
export class SimulatorConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: 'VIP_DB_SCHEMA must be a lower-case PostgreSQL identifier',
  })
  VIP_DB_SCHEMA: string = 'vip';

  @Matches(HOST_PATTERN, { message: 'VIP_TCP_HOST must be a host name or IP address' })
  VIP_TCP_HOST: string = '127.0.0.1';

  /** 0 picks a free port at start-up. */
  @IsInt()
  @Min(0)
  @Max(65535)
  VIP_TCP_PORT: number = 7100;

  @Matches(HOST_PATTERN, { message: 'VIP_HTTP_HOST must be a host name or IP address' })
  VIP_HTTP_HOST: string = '127.0.0.1';

  /** 0 picks a free port at start-up. */
  @IsInt()
  @Min(0)
  @Max(65535)
  VIP_HTTP_PORT: number = 7101;

  /** AES-256-GCM key for secrets at rest: 32 bytes as base64 or as 64 hex digits. */
  @IsString()
  @IsNotEmpty()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'VIP_SECRET_KEY must be 32 bytes as base64 (44 characters) or as 64 hex digits',
  })
  VIP_SECRET_KEY: string;

  /** Consecutive failed validations that lock an enabled credential. */
  @IsInt()
  @Min(1)
  @Max(1000)
  VIP_LOCK_THRESHOLD: number = 10;

  /** Time steps accepted on each side of the current one. */
  @IsInt()
  @Min(0)
  @Max(10)
  VIP_WINDOW_STEPS: number = 1;

  /** Time steps searched on each side of the current one when synchronising. */
  @IsInt()
  @Min(1)
  @Max(1000)
  VIP_SYNC_WINDOW_STEPS: number = 20;

  @IsInt()
  @Min(60)
  @Max(MAX_TEMPORARY_CODE_SECONDS)
  VIP_TEMP_CODE_DEFAULT_SECONDS: number = 86_400;

  @IsString()
  @Matches(/^[^:]{1,64}$/, { message: 'VIP_ISSUER must be 1 to 64 characters without ":"' })
  VIP_ISSUER: string = 'VIP Simulator';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: string = 'info';

  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  NODE_ENV?: string;
}

/** Decodes VIP_SECRET_KEY into its 32 bytes. */
export function decodeSecretKey(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}
