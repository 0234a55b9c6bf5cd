/**
 * Who may call what, declared on every route and enforced by one global
 * guard: `@Public()`, `@SignedIn()` (any role), or `@Allow(roles…)`. A route
 * that declares nothing is refused, so a new endpoint cannot be open by
 * accident. Unit scope (a reporter sees and acts for their own units) is
 * applied by the handlers with `unitScope`; the workflows check it again for
 * every action.
 */
import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { SignedIn as Person } from '#auth';
import type { TaskScope } from '#cycles';
import { DomainError } from '#domain';
import { Identity } from './identity.js';

export type Role = 'reporter' | 'supervisor' | 'coordinator' | 'admin' | 'district_leader';
type Rule = { public: true } | { roles: readonly Role[] | 'any' };
const ACCESS = 'duban:access';

export const Public = () => SetMetadata(ACCESS, { public: true } satisfies Rule);
export const SignedIn = () => SetMetadata(ACCESS, { roles: 'any' } satisfies Rule);
export const Allow = (...roles: Role[]) => SetMetadata(ACCESS, { roles } satisfies Rule);

export type CallerRequest = Request & { caller?: Person };

/** The access rule a route declares (on its handler, else its controller); undefined: none (refused). */
export function accessRuleOf(handler: () => unknown, controller: object): Rule | undefined {
  return (Reflect.getMetadata(ACCESS, handler) ?? Reflect.getMetadata(ACCESS, controller)) as Rule | undefined;
}

/** The caller the guard admitted (routes that are not public). */
export function callerOf(request: Request): Person {
  const caller = (request as CallerRequest).caller;
  if (!caller) throw new DomainError('UNAUTHENTICATED', '请先登录', 'please sign in');
  return caller;
}

/** The units a caller works for (reporter, leader, backup), whatever else they are: their own staff's files are theirs. */
export function staffUnitsOf(caller: Person): string[] {
  const staff = ['reporter', 'leader', 'backup'];
  return [...new Set(caller.roles.flatMap((r) => (staff.includes(r.role) && r.unitId ? [r.unitId] : [])))];
}

/**
 * Whose tasks a caller may see, or act on in one role: null for plan-wide
 * roles (coordinator, admin, a district leader 区领导, a supervisor of every unit), else the units they
 * work for (tasks led or co-operated on), the units they supervise (tasks led)
 * and the categories they supervise. `actingIn` keeps that role's rows alone:
 * a reporter's units never widen a supervisor's scope.
 */
export function scopeOf(caller: Person, actingIn?: Role): TaskScope | null {
  const roles = actingIn ? caller.roles.filter((r) => r.role === actingIn) : caller.roles;
  const planWide = roles.some(
    (r) =>
      r.role === 'coordinator' ||
      r.role === 'admin' ||
      r.role === 'district_leader' ||
      (r.role === 'supervisor' && r.unitId === null && !r.categoryId),
  );
  if (planWide) return null;
  const unitsOf = (held: typeof roles) => [...new Set(held.flatMap((r) => (r.unitId ? [r.unitId] : [])))];
  return {
    // A unit's own staff see its tasks, led or co-operated on; a supervisor of a unit, the tasks it leads.
    unitIds: unitsOf(roles.filter((r) => r.role !== 'supervisor')),
    leadUnitIds: unitsOf(roles.filter((r) => r.role === 'supervisor')),
    categoryIds: [...new Set(roles.flatMap((r) => (r.categoryId ? [r.categoryId] : [])))],
  };
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: Identity,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<Rule | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (!rule) {
      throw new DomainError('NOT_ALLOWED', '此接口未声明访问权限', 'this endpoint declares no access rule');
    }
    if ('public' in rule) return true;
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const caller = await this.identity.caller(request);
    if (!caller) throw new DomainError('UNAUTHENTICATED', '请先登录', 'please sign in');
    if (rule.roles !== 'any' && !caller.roles.some((r) => (rule.roles as readonly string[]).includes(r.role))) {
      throw new DomainError(
        'ROLE_NOT_HELD',
        `需要以下角色之一：${rule.roles.join('、')}`,
        `needs one of the roles ${rule.roles.join(', ')}`,
      );
    }
    // Signed in with a password someone else set: nothing but one's own password first (and who one is).
    if (caller.mustChange && request.path !== '/api/auth/me') {
      throw new DomainError('MUST_CHANGE_PASSWORD', '请先修改密码', 'change your password first');
    }
    request.caller = caller;
    return true;
  }
}
