/**
 * Message patterns of the VIP simulator's TCP API. Each value is the `cmd` of a
 * NestJS message pattern; the request and reply types of each are in
 * `requests.ts` and `replies.ts`.
 */
export const VipPattern = {
  Ping: 'vip.ping',
  ProvisionCredential: 'vip.credential.provision',
  ImportCredential: 'vip.credential.import',
  GetCredential: 'vip.credential.get',
  GetCurrentCode: 'vip.credential.code',
  ChangeCredentialState: 'vip.credential.state',
  SynchronizeCredential: 'vip.credential.sync',
  CreateUser: 'vip.user.create',
  GetUser: 'vip.user.get',
  BindCredential: 'vip.user.bind',
  UnbindCredential: 'vip.user.unbind',
  Authenticate: 'vip.user.authenticate',
  SetTemporaryCode: 'vip.user.temporary-code.set',
  ClearTemporaryCode: 'vip.user.temporary-code.clear',
  UsageReport: 'vip.report.usage',
} as const;

export type VipPatternName = (typeof VipPattern)[keyof typeof VipPattern];

/** Builds the NestJS message pattern object for a VIP command. */
export function vipPattern(cmd: VipPatternName): { cmd: VipPatternName } {
  return { cmd };
}
