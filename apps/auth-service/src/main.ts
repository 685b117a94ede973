import 'reflect-metadata';

import { bootstrapAuthService } from './bootstrap';

bootstrapAuthService().catch((error: unknown) => {
  console.error(`Auth service failed to start: ${(error as Error).message}`);
  process.exit(1);
});
