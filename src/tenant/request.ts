/**
 * Reading a request: its body as an object, its parameters, and who sent it. Pure helpers; every
 * refusal is a `TenantError` that the error handler turns into Auth0's body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { MESSAGES } from '../shared/auth0-protocol';
import { TenantError, tenantError } from './errors';

export type Body = Record<string, unknown>;

const sha256 = (s: string) => createHash('sha256').update(s).digest();
/** Constant-time string equality (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

export function invalidRequest(description: string): TenantError {
  return tenantError.invalidRequest(description);
}

/** The body as an object (JSON or form); anything else is a 400. */
export function bodyOf(req: FastifyRequest): Body {
  const b = req.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw invalidRequest('the request body must be a JSON object or a form');
  }
  return b as Body;
}

/** A non-empty string field, or undefined. */
export function str(body: Body, field: string): string | undefined {
  const v = body[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The legacy endpoints refuse dotted field names (Auth0's guard against `user.name` paths). */
export function checkDotted(body: Body): void {
  if (Object.keys(body).some((k) => k.includes('.'))) throw invalidRequest(MESSAGES.dottedFields);
}

/** The `scope` parameter: absent is `''`, anything but a string is a 400. */
export function scopeOf(body: Body): string {
  const scope = body.scope;
  if (scope !== undefined && typeof scope !== 'string')
    throw invalidRequest('scope parameter must be a string');
  return scope ?? '';
}
