import { SimulatorConfig } from './simulator-config';

/** Injection token of the validated SimulatorConfig. */
export const SIMULATOR_CONFIG = Symbol('SIMULATOR_CONFIG');

export type { SimulatorConfig };
