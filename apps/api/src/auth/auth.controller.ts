/**
 * Sign-in and accounts.
 *   GET  /api/about           (public) the system's and the organisation's names, for the sign-in page
 *   POST /api/auth/login      { login, password } → the person; sets the httpOnly session cookie
 *   POST /api/auth/logout     ends the session
 *   GET  /api/auth/me         the signed-in person with roles and units (401 without a session)
 *   POST /api/auth/password   { current, next }: one's own password; other sessions end
 *   GET  /api/users           (admin) the directory's people and roles
 *   POST /api/users           (admin) { id, name, email, language?, roles: [{ role, unit? }], password? }
 *   POST /api/users/:id/deactivate | reactivate   (admin) never deleted; sessions end; the last admin stays
 */
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { NewUser as NewUserBody, PasswordChange, SignIn } from '#api-schema';
import { addUser, DEVICE_COOKIE, SESSION_COOKIE, setUserActive, type NewUser, type SignedIn } from '#auth';
import type { DubanConfig } from '#config';
import { DomainError } from '#domain';
import { whenReady } from '#persistence';
import { CONFIG } from '#runtime';
import { Allow, callerOf, Public, SignedIn as SignedInOnly } from './access.js';
import { Identity, readCookie } from './identity.js';
import { Answers, Takes } from '../openapi/openapi.js';

@Controller('api')
export class AuthController {
  private readonly secureCookie: boolean;
  private readonly names: DubanConfig['names'];

  constructor(
    private readonly identity: Identity,
    private readonly dataSource: DataSource,
    @Inject(CONFIG) config: DubanConfig,
  ) {
    this.secureCookie = config.publicUrl.startsWith('https:') || config.nodeEnv === 'production';
    this.names = config.names;
  }

  /** Names only (configured, never data): the sign-in page shows them before anyone signs in. */
  @Get('about')
  @Public()
  @Answers('About')
  about(): { system: string; organisation: string } {
    return { system: this.names.system, organisation: this.names.organisation };
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return [
      `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${maxAgeSeconds}`,
      ...(this.secureCookie ? ['Secure'] : []),
    ].join('; ');
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @Answers('SignInAnswer')
  @Takes('SignIn')
  async login(
    @Body() body: z.infer<typeof SignIn>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ person: SignedIn; mustChange: boolean }> {
    const accounts = await this.identity.accountsReady();
    const signed = await accounts.signIn(body.login, body.password, {
      address: request.ip ?? request.socket.remoteAddress ?? 'unknown',
      userAgent: request.headers['user-agent'],
      device: readCookie(request, DEVICE_COOKIE),
    });
    response.setHeader('Set-Cookie', [
      this.cookie(signed.token, Math.floor((signed.expiresAt.getTime() - Date.now()) / 1000)),
      // This browser, remembered by the account: guessers at the same address cannot shut its owner out.
      [
        `${DEVICE_COOKIE}=${signed.device}`,
        'Path=/api/auth',
        'HttpOnly',
        'SameSite=Strict',
        `Max-Age=${365 * 86_400}`,
        ...(this.secureCookie ? ['Secure'] : []),
      ].join('; '),
    ]);
    return { person: signed.person, mustChange: signed.mustChange };
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(204)
  @Answers('none')
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await (await this.identity.accountsReady()).signOut(readCookie(request, SESSION_COOKIE));
    response.setHeader('Set-Cookie', this.cookie('', 0));
  }

  @Get('auth/me')
  @SignedInOnly()
  @Answers('Person')
  async me(@Req() request: Request): Promise<SignedIn> {
    return callerOf(request);
  }

  @Post('auth/password')
  @Public() // a session, not a header: checked here
  @HttpCode(204)
  @Answers('none')
  @Takes('PasswordChange')
  async changePassword(@Body() body: z.infer<typeof PasswordChange>, @Req() request: Request): Promise<void> {
    const person = await this.identity.signedIn(request);
    if (!person) throw new DomainError('UNAUTHENTICATED', '请先登录', 'please sign in');
    await (
      await this.identity.accountsReady()
    ).changePassword(person.personId, body.current, body.next, readCookie(request, SESSION_COOKIE));
  }

  @Get('users')
  @Allow('admin')
  @Answers('Users')
  async users(): Promise<{ users: SignedIn[] }> {
    return { users: await (await this.identity.accountsReady()).people() };
  }

  @Post('users')
  @Allow('admin')
  @Answers('UserSaved')
  @Takes('NewUser')
  async addUser(
    @Body() body: z.infer<typeof NewUserBody>,
    @Req() request: Request,
  ): Promise<{ id: string; password?: string }> {
    // The role's name is checked by addUser, which answers INVALID_ROLE as the CLI's `user add` does.
    // A password an admin chose for someone else is theirs to replace at first sign-in.
    const caller = callerOf(request).personId;
    return addUser(await whenReady(this.dataSource), body as NewUser, caller, {
      givenPasswordIsTemporary: body.id !== caller,
    });
  }

  @Post('users/:id/deactivate')
  @Allow('admin')
  @HttpCode(204)
  async deactivate(@Param('id') id: string, @Req() request: Request): Promise<void> {
    // Never deleted: the audit trail keeps them. Their sessions end now; the last admin stays.
    await setUserActive(await whenReady(this.dataSource), id, false, callerOf(request).personId);
  }

  @Post('users/:id/reactivate')
  @Allow('admin')
  @HttpCode(204)
  async reactivate(@Param('id') id: string, @Req() request: Request): Promise<void> {
    await setUserActive(await whenReady(this.dataSource), id, true, callerOf(request).personId);
  }
}
