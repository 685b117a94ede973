import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { ServiceKeyGuard } from '../common/api-key.guard';
import { AuthThrottlerGuard } from '../rate-limit/auth-throttler.guard';
import { RequestContext, RequestMeta } from '../common/request-context';
import { CurrentSession, SessionGuard } from '../sessions/session.guard';
import { AuthenticatedSession } from '../sessions/sessions.service';
import { AccountService } from './account.service';
import { IntrospectDto, LoginDto, RegisterDto, StepUpDto } from './dto/auth-requests.dto';
import {
  IntrospectResponse,
  LoginResponse,
  MeResponse,
  SessionResponse,
} from './dto/auth-responses.dto';
import { LoginService, LoginStatus } from './login.service';
import { SecondFactorService } from './second-factor.service';

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
  async register(
    @Body() body: RegisterDto,
    @RequestMeta() context: RequestContext,
  ): Promise<SessionResponse> {
    const session = await this.secondFactor.register(body, context);

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
  async stepUp(
    @Body() body: StepUpDto,
    @RequestMeta() context: RequestContext,
  ): Promise<SessionResponse> {
    const session = await this.secondFactor.stepUp(body, context);

    return {
      status: LoginStatus.Authenticated,
      ...session,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(SessionGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the current session' })
  @ApiNoContentResponse()
  async logout(
    @CurrentSession() session: AuthenticatedSession,
    @RequestMeta() context: RequestContext,
  ): Promise<void> {
    await this.account.logout(session, context);
  }

  @Get('me')
  @UseGuards(SessionGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The user, the previous login and failed attempts since then' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentSession() session: AuthenticatedSession): Promise<MeResponse> {
    return this.account.me(session);
  }

  @Post('introspect')
  @HttpCode(HttpStatus.OK)
  @UseGuards(ServiceKeyGuard)
  @ApiHeader({ name: 'x-service-key', required: true, description: 'SERVICE_API_KEY' })
  @ApiOperation({ summary: 'Tell another service whether a session token is live' })
  @ApiOkResponse({ type: IntrospectResponse })
  introspect(@Body() body: IntrospectDto): Promise<IntrospectResponse> {
    return this.account.introspect(body.token);
  }
}
