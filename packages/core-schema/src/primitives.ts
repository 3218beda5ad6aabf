import { z } from 'zod';
import { limits } from './limits.js';
import { uuidV4Pattern } from './uuid-pattern.js';

export { uuidV4Pattern };

/** A session id: canonical lowercase UUID v4. */
export const sessionIdSchema = z.string().regex(uuidV4Pattern, 'must be a lowercase UUID v4');

/** An ISO 8601 UTC timestamp (`…Z`), as every persisted time is written. */
export const timestampSchema = z.iso.datetime({ offset: false, local: false });

/** A short identifier-like string: message ids, provider and model names. */
export const shortStringSchema = z.string().min(1).max(limits.maxShortStringLength);

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** A key of an open-ended map; keys that could reach an object prototype are refused. */
export const safeKeySchema = z
  .string()
  .min(1)
  .max(limits.maxShortStringLength)
  .refine((key) => !forbiddenKeys.has(key), 'is a reserved key');
