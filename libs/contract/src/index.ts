export * from './enums';
export * from './patterns';
export * from './replies';
export * from './requests';
export * from './status-codes';
export * from './validators';
export * from './tcp-socket';
