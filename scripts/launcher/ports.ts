import { createServer } from 'node:net';

/** Throws an error naming the setting when host:port cannot be bound. */
export async function assertPortFree(host: string, port: number, setting: string): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? 'is already in use'
          : `cannot be opened (${error.code ?? error.message})`;
      reject(new Error(`Port ${port} on ${host} ${reason}. Set ${setting} to a free port.`));
    });
    server.listen(port, host, () => server.close(() => resolvePort()));
  });
}
