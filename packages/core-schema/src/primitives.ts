import { z } from 'zod';
import { limits } from './limits.js';

/** Canonical lowercase UUID v4, the only form a session id may take. */
export const uuidV4Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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
