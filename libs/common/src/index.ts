export * from './config/validate-config';
