import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrorResponses } from '@app/common';

import { RequestContext, RequestMeta } from '../common/request-context';
import { SESSION_SCHEME } from '../common/security-schemes';
import { SecureTokenSettingsView } from '../institutions/dto/institution.view';
import { CurrentSession, RequireRole, SessionGuard } from '../sessions/session.guard';
import { AuthenticatedSession } from '../sessions/sessions.service';
import { UserView } from '../users/dto/user.view';
import { UserRole } from '../users/user.entity';
import { AdminService } from './admin.service';
import {
  AuditEventQueryDto,
  CreateUserDto,
  UnlockUserDto,
  UpdateSecureTokenDto,
} from './dto/admin-requests.dto';
import {
  AuditEventPageView,
  AuthenticationSettingsView,
  ResetCredentialView,
  VipManagerView,
} from './dto/admin-responses.dto';

const userIdPipe = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new BadRequestException({ code: 'VALIDATION_FAILED', message: 'userId must be a UUID v4' }),
});

@ApiTags('admin')
@ApiBearerAuth(SESSION_SCHEME)
@ApiErrorResponses({ 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'] })
@UseGuards(SessionGuard)
@RequireRole(UserRole.Admin)
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('secure-token')
  @ApiOperation({ summary: "The institution's secure-token settings" })
  @ApiOkResponse({ type: SecureTokenSettingsView })
  getSecureToken(
    @CurrentSession() { user }: AuthenticatedSession,
  ): Promise<SecureTokenSettingsView> {
    return this.admin.getSecureTokenSettings(user);
  }

  @Put('secure-token')
  @ApiOperation({
    summary:
      'Enable or disable secure tokens and set the lockout threshold (409 before provisioning)',
  })
  @ApiOkResponse({ type: SecureTokenSettingsView })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED'], 409: ['SECURE_TOKEN_NOT_PROVISIONED'] })
  putSecureToken(
    @CurrentSession() { user }: AuthenticatedSession,
    @Body() body: UpdateSecureTokenDto,
    @RequestMeta() context: RequestContext,
  ): Promise<SecureTokenSettingsView> {
    return this.admin.updateSecureTokenSettings(user, body, context);
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a Back Office user in this institution' })
  @ApiCreatedResponse({ type: UserView })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED'], 409: ['USERNAME_TAKEN'] })
  createUser(
    @CurrentSession() { user }: AuthenticatedSession,
    @Body() body: CreateUserDto,
    @RequestMeta() context: RequestContext,
  ): Promise<UserView> {
    return this.admin.createUser(user, body, context);
  }

  @Get('users')
  @ApiOperation({ summary: 'FI user list with each user’s authentication status' })
  @ApiOkResponse({ type: [UserView] })
  listUsers(@CurrentSession() { user }: AuthenticatedSession): Promise<UserView[]> {
    return this.admin.listUsers(user);
  }

  @Get('users/:userId/authentication-settings')
  @ApiOperation({ summary: 'Authentication settings of a user, with the live credential state' })
  @ApiOkResponse({ type: AuthenticationSettingsView })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED'], 404: ['USER_NOT_FOUND'] })
  getAuthenticationSettings(
    @CurrentSession() { user }: AuthenticatedSession,
    @Param('userId', userIdPipe) userId: string,
  ): Promise<AuthenticationSettingsView> {
    return this.admin.getAuthenticationSettings(user, userId);
  }

  @Post('users/:userId/unlock')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Unlock a user, optionally resetting the registration' })
  @ApiOkResponse({ type: ResetCredentialView })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED'], 404: ['USER_NOT_FOUND'] })
  unlock(
    @CurrentSession() { user }: AuthenticatedSession,
    @Param('userId', userIdPipe) userId: string,
    @Body() body: UnlockUserDto,
    @RequestMeta() context: RequestContext,
  ): Promise<ResetCredentialView> {
    return this.admin.unlock(user, userId, body.resetRegistration ?? false, context);
  }

  @Post('users/:userId/reset-credential')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Reset the credential: clear the PIN, unlock, end sessions, unbind at VIP',
  })
  @ApiOkResponse({ type: ResetCredentialView })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED'], 404: ['USER_NOT_FOUND'] })
  resetCredential(
    @CurrentSession() { user }: AuthenticatedSession,
    @Param('userId', userIdPipe) userId: string,
    @RequestMeta() context: RequestContext,
  ): Promise<ResetCredentialView> {
    return this.admin.resetCredential(user, userId, context);
  }

  @Get('vip-manager')
  @ApiOperation({ summary: 'URL of the VIP Manager pages' })
  @ApiOkResponse({ type: VipManagerView })
  vipManager(): VipManagerView {
    return this.admin.vipManagerUrl();
  }

  @Get('audit-events')
  @ApiOperation({ summary: 'Audit events of this institution, newest first, keyset-paginated' })
  @ApiOkResponse({ type: AuditEventPageView })
  @ApiErrorResponses({ 400: ['VALIDATION_FAILED', 'INVALID_CURSOR'] })
  auditEvents(
    @CurrentSession() { user }: AuthenticatedSession,
    @Query() query: AuditEventQueryDto,
  ): Promise<AuditEventPageView> {
    return this.admin.auditEvents(user, query);
  }
}
