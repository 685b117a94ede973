import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Auth service settings, validated once at start-up from the environment. */
export class AuthConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: 'AUTH_DB_SCHEMA must be a lower-case PostgreSQL identifier',
  })
  AUTH_DB_SCHEMA: string = 'auth';

  @IsString()
  AUTH_HTTP_HOST: string = '127.0.0.1';

  /** HTTP port; 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  AUTH_HTTP_PORT: number = 3000;

  @IsString()
  VIP_TCP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  VIP_TCP_PORT: number = 7100;

  /** Maximum time in ms to wait for one reply from the VIP simulator before responding with 503. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  VIP_TIMEOUT_MS: number = 2000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  VIP_MANAGER_URL: string = 'http://127.0.0.1:7101/manager';

  @IsString()
  @MinLength(24, { message: 'OPERATOR_API_KEY must be at least 24 characters' })
  OPERATOR_API_KEY: string;

  @IsString()
  @MinLength(24, { message: 'SERVICE_API_KEY must be at least 24 characters' })
  SERVICE_API_KEY: string;

  /** bcrypt cost factor for passwords and PINs (2^cost rounds). */
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_COST: number = 12;

  @IsInt()
  @Min(60)
  @Max(7 * 24 * 60 * 60)
  SESSION_TTL_SECONDS: number = 28_800;

  @IsInt()
  @Min(30)
  @Max(3600)
  CHALLENGE_TTL_SECONDS: number = 300;

  /** Lockout threshold given to each new institution. */
  @IsInt()
  @Min(1)
  @Max(1000)
  DEFAULT_LOCKOUT_THRESHOLD: number = 3;

  /** Length in seconds of the fixed window that the rate limits count requests in. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Requests per window from one client IP to each of login, register and step-up. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_IP: number = 30;

  /** Requests per window for one username (login) or one user's challenges (register, step-up). */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_USERNAME: number = 10;

  /**
   * Express "trust proxy" setting, which decides the client IP of rate limits
   * and audit events. Unset or "false" uses the TCP peer address. A number
   * trusts that many proxies in X-Forwarded-For, and a comma-separated list
   * of addresses, subnets or "loopback" trusts those proxies.
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsString()
  @Matches(/^(false|true|\d{1,2}|[A-Za-z0-9.:/]+(\s*,\s*[A-Za-z0-9.:/]+)*)$/, {
    message:
      'TRUST_PROXY must be false, true, a number of proxies, or a comma-separated list of ' +
      'addresses, subnets or loopback',
  })
  TRUST_PROXY?: string;

  /**
   * Redis that stores the rate-limit counters, so that every instance shares
   * them. Unset keeps the counters in each process.
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsUrl(
    { require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true },
    { message: 'REDIS_URL must be a redis:// or rediss:// URL' },
  )
  REDIS_URL?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @IsString()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  NODE_ENV?: string;
}
