import { VipStatus } from '@app/contract';

import {
  authenticate,
  codeAtOffset,
  createBoundUser,
  queryDatabase,
  statusOf,
} from '../support/vip-fixtures';
import { LogCapture } from '../support/log-capture';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';

describe('database error during authenticate', () => {
  const capture = new LogCapture();
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({
      settings: { LOG_LEVEL: 'info' },
      logDestination: capture,
    });
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  it('changes nothing and logs no row', async () => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    const [before] = await queryDatabase<{ last_accepted_step: number }>(
      simulator.databaseUrl,
      'SELECT last_accepted_step FROM vip.credentials WHERE credential_id = $1',
      [credential.credentialId],
    );
    // A CHECK constraint that fails the success record of this user only, so
    // PostgreSQL rejects the acceptance statement with a detail that quotes the row.
    await queryDatabase(
      simulator.databaseUrl,
      `ALTER TABLE vip.validation_events
         ADD CONSTRAINT reject_test_user CHECK (vip_user_id <> '${vipUserId}') NOT VALID`,
    );
    const code = codeAtOffset(credential, 1);

    let status: string;
    try {
      status = statusOf(await authenticate(simulator, vipUserId, code));
    } finally {
      await queryDatabase(
        simulator.databaseUrl,
        'ALTER TABLE vip.validation_events DROP CONSTRAINT reject_test_user',
      );
    }

    expect(status).toBe(VipStatus.InternalError);
    const [after] = await queryDatabase<{ last_accepted_step: number }>(
      simulator.databaseUrl,
      'SELECT last_accepted_step FROM vip.credentials WHERE credential_id = $1',
      [credential.credentialId],
    );
    expect(after.last_accepted_step).toBe(before.last_accepted_step);
    const errorLines = capture.lines.filter((line) =>
      line.includes('Unexpected error in a TCP handler'),
    );
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('"sqlState":"23514"');
    expect(errorLines[0]).toContain('"pattern":"vip.user.authenticate"');
    expect(errorLines[0]).not.toContain('Failing row');
    expect(capture.lines.join('\n')).not.toContain(credential.credentialId + ',');
    // The code was not spent, so it is accepted once the constraint is gone.
    expect(statusOf(await authenticate(simulator, vipUserId, code))).toBe('0000');
  });
});
