import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrorResponses } from '@app/common';

import { ServiceKeyGuard } from '../common/api-key.guard';
import { SERVICE_KEY_SCHEME, SESSION_SCHEME } from '../common/security-schemes';
import { AuthThrottlerGuard } from '../rate-limit/auth-throttler.guard';
import { RequestContext, RequestMeta } from '../common/request-context';
import { CurrentSession, SessionGuard } from '../sessions/session.guard';
import { AuthenticatedSession } from '../sessions/sessions.service';
import { AccountService } from './account.service';
import { ChallengeLookup, ChallengeLookupOf } from './challenges.service';
import { IntrospectDto, LoginDto, RegisterDto, StepUpDto } from './dto/auth-requests.dto';
import {
  IntrospectResponse,
  LoginResponse,
  MeResponse,
  SessionResponse,
} from './dto/auth-responses.dto';
import { LoginService, LoginStatus } from './login.service';
import { SecondFactorService } from './second-factor.service';

/** Errors of registration and step-up, which share their checks. */
const SECOND_FACTOR_ERRORS = {
  400: ['VALIDATION_FAILED'],
  401: ['INVALID_CHALLENGE', 'INVALID_SECURITY_CREDENTIALS'],
  403: ['USER_LOCKED', 'CREDENTIAL_UNAVAILABLE'],
  429: ['TOO_MANY_REQUESTS', 'ATTEMPT_IN_PROGRESS'],
  503: ['SECURE_TOKEN_SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE'],
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly loginService: LoginService,
    private readonly secondFactor: SecondFactorService,
    private readonly account: AccountService,
  ) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthThrottlerGuard)
  @ApiOperation({
    summary: 'Check username and password; returns a session or a secure-token challenge',
  })
  @ApiOkResponse({ type: LoginResponse })
  @ApiErrorResponses({
    400: ['VALIDATION_FAILED'],
    401: ['INVALID_CREDENTIALS'],
    403: ['USER_LOCKED'],
    429: ['TOO_MANY_REQUESTS'],
    503: ['SERVICE_UNAVAILABLE'],
  })
  async login(
    @Body() body: LoginDto,
    @RequestMeta() context: RequestContext,
  ): Promise<LoginResponse> {
    const result = await this.loginService.login(body.username, body.password, context);

    return { ...result, expiresAt: result.expiresAt.toISOString() };
  }

  @Post('register')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthThrottlerGuard)
  @ApiOperation({ summary: 'Register a VIP credential and a PIN; returns a session' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrorResponses(SECOND_FACTOR_ERRORS)
  async register(
    @Body() body: RegisterDto,
    @RequestMeta() context: RequestContext,
    @ChallengeLookupOf() lookup: ChallengeLookup | undefined,
  ): Promise<SessionResponse> {
    const session = await this.secondFactor.register(body, context, lookup);

    return {
      status: LoginStatus.Authenticated,
      ...session,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  @Post('step-up')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthThrottlerGuard)
  @ApiOperation({ summary: 'Check a security code and the PIN; returns a session' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiErrorResponses(SECOND_FACTOR_ERRORS)
  async stepUp(
    @Body() body: StepUpDto,
    @RequestMeta() context: RequestContext,
    @ChallengeLookupOf() lookup: ChallengeLookup | undefined,
  ): Promise<SessionResponse> {
    const session = await this.secondFactor.stepUp(body, context, lookup);

    return {
      status: LoginStatus.Authenticated,
      ...session,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(SessionGuard)
  @ApiBearerAuth(SESSION_SCHEME)
  @ApiOperation({ summary: 'End the current session' })
  @ApiNoContentResponse()
  @ApiErrorResponses({ 401: ['UNAUTHENTICATED'] })
  async logout(
    @CurrentSession() session: AuthenticatedSession,
    @RequestMeta() context: RequestContext,
  ): Promise<void> {
    await this.account.logout(session, context);
  }

  @Get('me')
  @UseGuards(SessionGuard)
  @ApiBearerAuth(SESSION_SCHEME)
  @ApiOperation({ summary: 'The user, the previous login and failed attempts since then' })
  @ApiOkResponse({ type: MeResponse })
  @ApiErrorResponses({ 401: ['UNAUTHENTICATED'] })
  me(@CurrentSession() session: AuthenticatedSession): Promise<MeResponse> {
    return this.account.me(session);
  }

  @Post('introspect')
  @HttpCode(HttpStatus.OK)
  @UseGuards(ServiceKeyGuard)
  @ApiSecurity(SERVICE_KEY_SCHEME)
  @ApiOperation({ summary: 'Tell another service whether a session token is live' })
  @ApiOkResponse({ type: IntrospectResponse })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED'], 401: ['INVALID_SERVICE_KEY'] })
  introspect(@Body() body: IntrospectDto): Promise<IntrospectResponse> {
    return this.account.introspect(body.token);
  }
}
