import { CredentialAction, CredentialType, DisableReason } from '@app/contract';

/** An HTTP call that a command line maps to, and how to print its data. */
export interface PlannedCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: object;
  /** Human-readable lines for the data of a successful reply. */
  describe(data: Record<string, unknown>): string[];
}

/** A command line that cannot be run. The message states what to fix. */
export class UsageError extends Error {}

export type Options = Record<string, string | boolean | undefined>;

const ACTIONS = Object.values(CredentialAction) as string[];
const TYPES = Object.values(CredentialType) as string[];
const REASONS = Object.values(DisableReason) as string[];

function requireArgument(args: string[], index: number, name: string): string {
  const value = args[index];
  if (!value) {
    throw new UsageError(`missing ${name}`);
  }

  return encodeURIComponent(value);
}

function optionString(options: Options, name: string): string | undefined {
  const value = options[name];

  return typeof value === 'string' ? value : undefined;
}

function describeCredential(data: Record<string, unknown>): string[] {
  const lines = [
    `credential ${String(data.credentialId)} (${String(data.type)}) is ${String(data.state)}`,
  ];
  if (data.disabledReason) {
    lines.push(`disabled reason: ${String(data.disabledReason)}`);
  }
  lines.push(`failed attempts: ${String(data.failedAttempts)}`);
  lines.push(`last validated: ${String(data.lastValidatedAt ?? 'never')}`);
  const users = data.boundUserIds as string[] | undefined;
  lines.push(`bound users: ${users && users.length > 0 ? users.join(', ') : 'none'}`);

  return lines;
}

function planIssue(options: Options): PlannedCall {
  const type = (optionString(options, 'type') ?? CredentialType.Mobile).toUpperCase();
  if (!TYPES.includes(type)) {
    throw new UsageError(`--type must be one of ${TYPES.join(', ')}`);
  }

  return {
    method: 'POST',
    path: '/api/v1/credentials',
    body: { type },
    describe: (data) => [
      ...describeCredential(data),
      `secret (base32, shown once): ${String(data.secret)}`,
      `otpauth URI: ${String(data.otpauthUri)}`,
    ],
  };
}

function planCode(args: string[], options: Options): PlannedCall {
  const credentialId = requireArgument(args, 0, 'credential ID (such as SYMC12345678)');
  const at = optionString(options, 'at');
  const query = at ? `?at=${encodeURIComponent(at)}` : '';

  return {
    method: 'GET',
    path: `/api/v1/credentials/${credentialId}/code${query}`,
    describe: (data) => [
      `${String(data.code)}  (valid ${String(data.validFrom)} to ${String(data.validUntil)})`,
    ],
  };
}

function planState(args: string[], options: Options): PlannedCall {
  const credentialId = requireArgument(args, 0, 'credential ID (such as SYMC12345678)');
  const action = args[1]?.toUpperCase();
  if (!action) {
    return {
      method: 'GET',
      path: `/api/v1/credentials/${credentialId}`,
      describe: describeCredential,
    };
  }
  if (!ACTIONS.includes(action)) {
    throw new UsageError(`action must be one of ${ACTIONS.join(', ')}`);
  }
  const reason = optionString(options, 'reason')?.toUpperCase();
  if (reason !== undefined && !REASONS.includes(reason)) {
    throw new UsageError(`--reason must be one of ${REASONS.join(', ')}`);
  }
  if (action === CredentialAction.Disable && reason === undefined) {
    throw new UsageError(`DISABLE needs --reason (${REASONS.join(', ')})`);
  }

  return {
    method: 'POST',
    path: `/api/v1/credentials/${credentialId}/state`,
    body: { action, reason },
    describe: describeCredential,
  };
}

function planTemporaryCode(args: string[], options: Options): PlannedCall {
  const vipUserId = requireArgument(args, 0, 'VIP user ID');
  const path = `/api/v1/users/${vipUserId}/temporary-code`;
  if (options.clear) {
    return {
      method: 'DELETE',
      path,
      describe: (data) => [
        data.cleared ? 'temporary code cleared' : 'the user had no temporary code',
      ],
    };
  }
  const expiresIn = optionString(options, 'expires-in');
  const seconds = expiresIn === undefined ? undefined : Number(expiresIn);
  if (seconds !== undefined && !Number.isInteger(seconds)) {
    throw new UsageError('--expires-in must be a whole number of seconds');
  }

  return {
    method: 'PUT',
    path,
    body: {
      code: optionString(options, 'code'),
      expiresInSeconds: seconds,
      oneTime: options['one-time'] === true,
    },
    describe: (data) => [
      `temporary code ${String(data.code)} for ${String(data.vipUserId)}`,
      `expires ${String(data.expiresAt)}${data.oneTime ? ', works once' : ''}`,
    ],
  };
}

function planReport(options: Options): PlannedCall {
  const today = new Date().toISOString().slice(0, 10);
  const from = optionString(options, 'from') ?? today;
  const to = optionString(options, 'to') ?? from;

  return {
    method: 'GET',
    path: `/api/v1/reports/usage?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    describe: (data) => {
      const rows = data.rows as Array<Record<string, unknown>>;
      const lines = [`usage from ${from} to ${to}`];
      if (rows.length === 0) {
        lines.push('no validations');
      }
      for (const row of rows) {
        lines.push(
          `${String(row.day)}  ${String(row.credentialType).padEnd(14)} ${String(row.outcome).padEnd(22)} ${String(row.count)}`,
        );
      }

      return lines;
    },
  };
}

function planUser(args: string[], options: Options): PlannedCall {
  const vipUserId = requireArgument(args, 0, 'VIP user ID');
  const describe = (data: Record<string, unknown>): string[] => {
    const credentials = data.credentials as Array<Record<string, unknown>>;
    const temporary = data.temporaryCode as Record<string, unknown> | null;

    return [
      `VIP user ${String(data.vipUserId)}`,
      ...credentials.map(
        (credential) =>
          `  ${String(credential.credentialId)} ${String(credential.type)} ${String(credential.state)}`,
      ),
      credentials.length === 0 ? '  no credentials bound' : '',
      `temporary code: ${temporary ? `expires ${String(temporary.expiresAt)}` : 'none'}`,
    ].filter((line) => line !== '');
  };
  if (options.create) {
    return {
      method: 'POST',
      path: '/api/v1/users',
      body: { vipUserId: decodeURIComponent(vipUserId) },
      describe,
    };
  }

  return { method: 'GET', path: `/api/v1/users/${vipUserId}`, describe };
}

/** Maps a command and its arguments to one HTTP call. Throws UsageError on a bad command line. */
export function planCommand(
  command: string | undefined,
  args: string[],
  options: Options,
): PlannedCall {
  switch (command) {
    case 'issue':
      return planIssue(options);
    case 'code':
      return planCode(args, options);
    case 'state':
      return planState(args, options);
    case 'temp-code':
      return planTemporaryCode(args, options);
    case 'report':
      return planReport(options);
    case 'user':
      return planUser(args, options);
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
