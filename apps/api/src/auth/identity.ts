/**
 * Who is calling: the person of the session cookie. Outside production, a
 * request without a session may still name itself in X-Duban-User (the
 * development and test seam from before sign-in existed); production
 * ignores the header.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Accounts, SESSION_COOKIE, type SignedIn } from '#auth';
import type { DubanConfig } from '#config';
import { DomainError } from '#domain';
import { whenReady } from '#persistence';
import { CONFIG } from '#runtime';

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

@Injectable()
export class Identity {
  private accounts?: Accounts;
  readonly headerAllowed: boolean;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) config: DubanConfig,
  ) {
    this.headerAllowed = config.nodeEnv !== 'production';
  }

  async accountsReady(): Promise<Accounts> {
    this.accounts ??= new Accounts(await whenReady(this.dataSource));
    return this.accounts;
  }

  /** The signed-in person, or null. */
  async signedIn(request: Request): Promise<SignedIn | null> {
    return (await this.accountsReady()).sessionPerson(readCookie(request, SESSION_COOKIE));
  }

  /** The caller's person id: the session's, else (outside production) X-Duban-User, else ''. */
  async callerId(request: Request): Promise<string> {
    const person = await this.signedIn(request);
    if (person) return person.personId;
    const named = request.headers['x-duban-user'];
    return this.headerAllowed && typeof named === 'string' ? named : '';
  }

  /** The signed-in person holding one of `roles`; 401 without a session, 403 without the role. */
  async requireRole(request: Request, roles: readonly string[]): Promise<SignedIn> {
    const person = await this.signedIn(request);
    if (!person) throw new DomainError('UNAUTHENTICATED', '请先登录', 'please sign in');
    if (!person.roles.some((r) => roles.includes(r.role))) {
      throw new DomainError(
        'ROLE_NOT_HELD',
        `需要以下角色之一：${roles.join('、')}`,
        `needs one of the roles ${roles.join(', ')}`,
      );
    }
    return person;
  }
}
