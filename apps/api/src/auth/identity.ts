/**
 * Who is calling: the person of the session cookie. With
 * DEV_IDENTITY_HEADER=on (development and tests only; refused in production)
 * a request without a session may name itself in X-Duban-User instead.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { Accounts, SESSION_COOKIE, type SignedIn } from '#auth';
import type { DubanConfig } from '#config';
import { whenReady } from '#persistence';
import { CONFIG } from '#runtime';

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined; // a malformed cookie is no session
      }
    }
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
    this.headerAllowed = config.api.devIdentityHeader;
  }

  async accountsReady(): Promise<Accounts> {
    this.accounts ??= new Accounts(await whenReady(this.dataSource));
    return this.accounts;
  }

  /** The signed-in person, or null. */
  async signedIn(request: Request): Promise<SignedIn | null> {
    return (await this.accountsReady()).sessionPerson(readCookie(request, SESSION_COOKIE));
  }

  /** The caller: the session's person, else (outside production) the directory's person named in X-Duban-User. */
  async caller(request: Request): Promise<SignedIn | null> {
    const person = await this.signedIn(request);
    if (person) return person;
    const named = request.headers['x-duban-user'];
    if (!this.headerAllowed || typeof named !== 'string' || !named) return null;
    return (await this.accountsReady()).person(named);
  }
}
