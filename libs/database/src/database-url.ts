/** Returns the URL with its database name replaced. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;

  return parsed.toString();
}

/** Returns the URL with its password hidden, for log lines and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = '***';
    }

    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
