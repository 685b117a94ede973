import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';

import { AuthConfig } from '../config/auth-config';
import { IP_THROTTLER, USERNAME_THROTTLER } from './auth-throttler.guard';

/** Injection token of the Redis client for shared rate-limit counters, or null without REDIS_URL. */
export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/** Prefix of every rate-limit key, so the counters can share a Redis with other data. */
export const RATE_LIMIT_KEY_PREFIX = 'auth-service:rate-limit:';

/** Opens the Redis connection, logging a lost connection once instead of at every retry. */
function connectRedis(url: string): Redis {
  const logger = new Logger('RateLimitRedis');
  // One retry per command instead of ioredis's default 20, so a request fails
  // soon while Redis is down and gets 503 from AuthThrottlerGuard.
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    keyPrefix: RATE_LIMIT_KEY_PREFIX,
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) {
      reported = true;
      logger.error({ err: error }, 'Rate-limit Redis connection failed; retrying');
    }
  });
  redis.on('ready', () => {
    if (reported) {
      logger.log('Rate-limit Redis connection restored');
    }
    reported = false;
  });

  return redis;
}

function throttlerOptions(config: AuthConfig, redis: Redis | null): ThrottlerModuleOptions {
  const ttl = config.RATE_LIMIT_WINDOW_SECONDS * 1000;

  return {
    throttlers: [
      { name: IP_THROTTLER, ttl, limit: config.RATE_LIMIT_PER_IP },
      { name: USERNAME_THROTTLER, ttl, limit: config.RATE_LIMIT_PER_USERNAME },
    ],
    storage: redis ? new ThrottlerStorageRedisService(redis) : undefined,
  };
}

/** Owns the Redis client of the shared rate-limit counters and closes it at shutdown. */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_REDIS,
      inject: [AuthConfig],
      useFactory: (config: AuthConfig) =>
        config.REDIS_URL ? connectRedis(config.REDIS_URL) : null,
    },
  ],
  exports: [RATE_LIMIT_REDIS],
})
export class RateLimitRedisModule implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_REDIS) private readonly redis: Redis | null) {}

  onApplicationShutdown(): void {
    this.redis?.disconnect(false);
  }
}

/**
 * Configures @nestjs/throttler for AuthThrottlerGuard from the validated
 * settings. Counters live in memory, one set per instance, unless REDIS_URL
 * is set: then every instance counts in the same Redis.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitRedisModule],
      inject: [AuthConfig, RATE_LIMIT_REDIS],
      useFactory: throttlerOptions,
    }),
    RateLimitRedisModule,
  ],
  exports: [ThrottlerModule, RateLimitRedisModule],
})
export class RateLimitModule {}
