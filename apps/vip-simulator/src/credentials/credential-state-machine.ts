import { CredentialAction, CredentialState, VipStatus } from '@app/contract';

import { VipErrorStatus } from '../common/vip.exception';

/** Source states and target state of one state-change action. */
export interface Transition {
  from: readonly CredentialState[];
  to: CredentialState;
}

const { New, Enabled, Disabled, Locked, Inactive } = CredentialState;

/**
 * State changes that VIP allows for each action. ENABLED becomes LOCKED only
 * through failed validations, and NEW becomes ENABLED on the first successful
 * bind, so neither appears here as an action.
 */
export const TRANSITIONS: Record<CredentialAction, Transition> = {
  [CredentialAction.Activate]: { from: [New, Inactive], to: Enabled },
  [CredentialAction.Deactivate]: { from: [New, Enabled, Disabled, Locked], to: Inactive },
  [CredentialAction.Enable]: { from: [Disabled], to: Enabled },
  [CredentialAction.Disable]: { from: [Enabled, Locked], to: Disabled },
  [CredentialAction.Unlock]: { from: [Locked], to: Enabled },
};

/** Tells whether an action is allowed from a state. */
export function isTransitionAllowed(action: CredentialAction, state: CredentialState): boolean {
  return TRANSITIONS[action].from.includes(state);
}

/**
 * Returns the VIP status that refuses a validation because of the credential's
 * state, or null for an ENABLED credential, which may validate.
 */
export function statusRejectingValidation(state: CredentialState): VipErrorStatus | null {
  switch (state) {
    case CredentialState.Enabled:
      return null;
    case CredentialState.New:
      return VipStatus.CredentialNew;
    case CredentialState.Disabled:
      return VipStatus.CredentialDisabled;
    case CredentialState.Locked:
      return VipStatus.CredentialLocked;
    case CredentialState.Inactive:
      return VipStatus.CredentialInactive;
  }
}
