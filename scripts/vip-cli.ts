import { parseArgs } from 'node:util';

import { callApi } from './vip-cli/http-client';
import { Options, UsageError, planCommand } from './vip-cli/commands';

/** Exit codes: 0 success, 1 the simulator refused, 2 bad command line, 3 simulator unreachable. */
const EXIT_OK = 0;
const EXIT_VIP_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_UNREACHABLE = 3;

/** The simulator's HTTP address: VIP_HTTP_URL, or the VIP_HTTP_HOST and VIP_HTTP_PORT that npm start uses. */
const DEFAULT_URL =
  process.env.VIP_HTTP_URL ||
  `http://${process.env.VIP_HTTP_HOST || '127.0.0.1'}:${process.env.VIP_HTTP_PORT || '7101'}`;

const HELP = `Usage: npm run vip -- <command> [arguments] [options]

Commands:
  issue [--type MOBILE|DESKTOP|HARDWARE]     provision a credential; prints its secret once
  code <credentialId> [--at ISO-8601-time]    print the code the token shows now (or at --at)
  state <credentialId> [ACTION] [--reason R]  show the state, or ACTIVATE, DEACTIVATE, ENABLE,
                                              DISABLE (needs --reason LOST|STOLEN|DAMAGED|UNSPECIFIED)
                                              or UNLOCK the credential
  temp-code <vipUserId> [--code 123456] [--expires-in SECONDS] [--one-time] [--clear]
                                              set (default lifetime 1 day, at most 30 days) or clear
                                              a temporary security code
  report [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                              usage report, default today (UTC)
  user <vipUserId> [--create]                 show a VIP user, or create it

Options:
  --json    print the raw reply as JSON
  --help    print this text

The simulator's HTTP API is read from VIP_HTTP_URL, or else from VIP_HTTP_HOST and
VIP_HTTP_PORT as npm start uses them (now ${DEFAULT_URL}).
Exit codes: 0 success, 1 the simulator refused the request, 2 bad command line,
3 simulator unreachable.`;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        type: { type: 'string' },
        at: { type: 'string' },
        reason: { type: 'string' },
        code: { type: 'string' },
        'expires-in': { type: 'string' },
        'one-time': { type: 'boolean' },
        clear: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        create: { type: 'boolean' },
      },
    });
  } catch (error) {
    console.error(`vip: ${(error as Error).message}\n\n${HELP}`);

    return EXIT_USAGE;
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help) {
    console.log(HELP);

    return EXIT_OK;
  }

  let call;
  try {
    call = planCommand(command, args, parsed.values as Options);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`vip: ${error.message}\n\n${HELP}`);

      return EXIT_USAGE;
    }
    throw error;
  }

  const baseUrl = DEFAULT_URL;
  const result = await callApi(baseUrl, call.method, call.path, call.body);
  const json = parsed.values.json === true;

  switch (result.kind) {
    case 'ok':
      console.log(
        json
          ? JSON.stringify(result.data, null, 2)
          : call.describe(result.data as Record<string, unknown>).join('\n'),
      );

      return EXIT_OK;
    case 'vip-error': {
      const body = result.body;
      if (json) {
        console.log(JSON.stringify(body, null, 2));
      }
      const status = body.status ? `VIP status ${String(body.status)}, ` : '';
      const detail = body.detail ? ` (${String(body.detail)})` : '';
      console.error(
        `vip: refused (${status}HTTP ${result.httpStatus}): ${String(body.message)}${detail}`,
      );

      return EXIT_VIP_ERROR;
    }
    case 'unreachable':
      console.error(
        `vip: the simulator at ${baseUrl} did not answer (${result.reason}). ` +
          'Start it with `npm start` (or alone with `npm run start:simulator`), ' +
          'or set VIP_HTTP_PORT or VIP_HTTP_URL to where it listens.',
      );

      return EXIT_UNREACHABLE;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`vip: unexpected error: ${String(error)}`);
    process.exitCode = EXIT_UNREACHABLE;
  },
);
