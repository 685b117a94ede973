import 'reflect-metadata';

import { bootstrapVipSimulator } from './bootstrap';

bootstrapVipSimulator().catch((error: unknown) => {
  console.error(
    `VIP simulator failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
