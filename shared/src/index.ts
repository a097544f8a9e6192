export * from './api-key';
export * from './crc32';
export * from './base62';
export * from './enums';
export * from './limits';
export * from './key-name';
export * from './plans';
