import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { formatValidationErrors } from '@app/common';
import {
  ChangeCredentialStateRequest,
  CredentialAction,
  CredentialRequest,
  DisableReason,
  SetTemporaryCodeRequest,
  UsageReportRequest,
  UserRequest,
  VipStatus,
} from '@app/contract';

import { VipException } from '../common/vip.exception';
import { CredentialsService } from '../credentials/credentials.service';
import { TRANSITIONS } from '../credentials/credential-state-machine';
import { ReportsService } from '../reports/reports.service';
import { VipUsersService } from '../vip-users/vip-users.service';
import { escapeHtml, renderDefinitionTable, renderError, renderNotice, renderPage } from './html';
import { ManagerCsrfGuard, csrfField } from './manager-csrf.guard';

type FormFields = Record<string, string | undefined>;

/** Validates form input with the TCP request class, so pages and API share one set of rules. */
async function checkInput<T extends object>(type: new () => T, plain: object): Promise<T> {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new VipException(VipStatus.InvalidRequest, formatValidationErrors(errors));
  }

  return instance;
}

function describeFailure(error: unknown): string {
  if (error instanceof VipException) {
    return `VIP status ${error.status}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`;
  }
  throw error;
}

const HTML = 'text/html; charset=utf-8';

/**
 * Minimal server-rendered stand-in for VIP Manager: credential and user
 * lookup, state changes, temporary security codes and the usage report.
 * Every value written into a page is HTML-escaped.
 */
@ApiExcludeController()
@Controller('manager')
export class ManagerController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly users: VipUsersService,
    private readonly reports: ReportsService,
  ) {}

  @Get()
  @Header('Content-Type', HTML)
  home(): string {
    return renderPage(
      'VIP Manager',
      `<p>Test double of Symantec VIP Manager.</p>
${this.credentialLookupForm('')}
${this.userLookupForm('')}
<p><a href="/manager/reports">Usage report</a></p>`,
    );
  }

  @Get('credentials')
  @Header('Content-Type', HTML)
  credentialPage(@Query('credentialId') credentialId?: string): Promise<string> {
    return this.renderCredentialPage(credentialId);
  }

  private async renderCredentialPage(credentialId?: string, notice?: string): Promise<string> {
    const form = this.credentialLookupForm(credentialId ?? '');
    if (!credentialId) {
      return renderPage('Credential lookup', form);
    }
    try {
      await checkInput(CredentialRequest, { credentialId });
      const credential = await this.credentials.get(credentialId);
      const details = renderDefinitionTable([
        ['Credential ID', credential.credentialId],
        ['Type', credential.type],
        ['State', credential.state],
        ['Disabled reason', credential.disabledReason ?? '-'],
        ['Consecutive failed validations', credential.failedAttempts],
        ['Last validated', credential.lastValidatedAt ?? 'never'],
        ['Bound VIP users', credential.boundUserIds.join(', ') || 'none'],
        ['Created', credential.createdAt],
      ]);

      return renderPage(
        `Credential ${credentialId}`,
        `${form}${notice ? renderNotice(notice) : ''}${details}
<h2>Actions</h2>${this.stateActionForms(credential.credentialId, credential.state)}`,
      );
    } catch (error) {
      return renderPage('Credential lookup', form + renderError(describeFailure(error)));
    }
  }

  @UseGuards(ManagerCsrfGuard)
  @Post('credentials/:credentialId/state')
  @HttpCode(200)
  @Header('Content-Type', HTML)
  async changeState(
    @Param('credentialId') credentialId: string,
    @Body() form: FormFields,
  ): Promise<string> {
    try {
      const request = await checkInput(ChangeCredentialStateRequest, {
        credentialId,
        action: form.action,
        reason: form.reason || undefined,
      });
      const updated = await this.credentials.changeState(
        request.credentialId,
        request.action,
        request.reason,
      );

      return this.renderCredentialPage(
        credentialId,
        `${request.action} done: state is ${updated.state}`,
      );
    } catch (error) {
      return renderPage(
        'State change failed',
        `${renderError(describeFailure(error))}<p><a href="/manager/credentials?credentialId=${encodeURIComponent(credentialId)}">Back to the credential</a></p>`,
      );
    }
  }

  @Get('users')
  @Header('Content-Type', HTML)
  userPage(@Query('vipUserId') vipUserId?: string): Promise<string> {
    return this.renderUserPage(vipUserId);
  }

  private async renderUserPage(vipUserId?: string, notice?: string): Promise<string> {
    const form = this.userLookupForm(vipUserId ?? '');
    if (!vipUserId) {
      return renderPage('User lookup', form);
    }
    try {
      await checkInput(UserRequest, { vipUserId });
      const user = await this.users.get(vipUserId);
      const credentialRows = user.credentials
        .map(
          (credential) =>
            `<tr><td><a href="/manager/credentials?credentialId=${encodeURIComponent(credential.credentialId)}">${escapeHtml(credential.credentialId)}</a></td><td>${escapeHtml(credential.type)}</td><td>${escapeHtml(credential.state)}</td></tr>`,
        )
        .join('');
      const temporary = user.temporaryCode
        ? `set, expires ${user.temporaryCode.expiresAt}${user.temporaryCode.oneTime ? ', one-time' : ''}`
        : 'none';

      return renderPage(
        `VIP user ${vipUserId}`,
        `${form}${notice ? renderNotice(notice) : ''}
${renderDefinitionTable([
  ['VIP user ID', user.vipUserId],
  ['Created', user.createdAt],
  ['Temporary security code', temporary],
])}
<h2>Credentials</h2>
<table><tr><th>Credential ID</th><th>Type</th><th>State</th></tr>${credentialRows}</table>
<h2>Temporary security code</h2>
${this.temporaryCodeForms(vipUserId)}`,
      );
    } catch (error) {
      return renderPage('User lookup', form + renderError(describeFailure(error)));
    }
  }

  @UseGuards(ManagerCsrfGuard)
  @Post('users/:vipUserId/temporary-code')
  @HttpCode(200)
  @Header('Content-Type', HTML)
  async setTemporaryCode(
    @Param('vipUserId') vipUserId: string,
    @Body() form: FormFields,
  ): Promise<string> {
    try {
      const request = await checkInput(SetTemporaryCodeRequest, {
        vipUserId,
        code: form.code || undefined,
        expiresInSeconds: form.expiresInSeconds ? Number(form.expiresInSeconds) : undefined,
        oneTime: form.oneTime === 'on',
      });
      const result = await this.users.setTemporaryCode(vipUserId, request);

      return this.renderUserPage(
        vipUserId,
        `Temporary security code ${result.code} set; it expires ${result.expiresAt}${result.oneTime ? ' and works once' : ''}. Give it to the user now: it is not shown again.`,
      );
    } catch (error) {
      return renderPage('Temporary security code', renderError(describeFailure(error)));
    }
  }

  @UseGuards(ManagerCsrfGuard)
  @Post('users/:vipUserId/temporary-code/clear')
  @HttpCode(200)
  @Header('Content-Type', HTML)
  async clearTemporaryCode(@Param('vipUserId') vipUserId: string): Promise<string> {
    try {
      await checkInput(UserRequest, { vipUserId });
      const result = await this.users.clearTemporaryCode(vipUserId);

      return this.renderUserPage(
        vipUserId,
        result.cleared ? 'Temporary security code cleared' : 'The user had no temporary code',
      );
    } catch (error) {
      return renderPage('Temporary security code', renderError(describeFailure(error)));
    }
  }

  @Get('reports')
  @Header('Content-Type', HTML)
  async reportPage(@Query('from') from?: string, @Query('to') to?: string): Promise<string> {
    const today = new Date().toISOString().slice(0, 10);
    const range = { from: from || today, to: to || today };
    const form = `<form method="get" action="/manager/reports">
From <input name="from" value="${escapeHtml(range.from)}"> to <input name="to" value="${escapeHtml(range.to)}">
<button>Show</button></form>`;
    try {
      await checkInput(UsageReportRequest, range);
      const report = await this.reports.usageReport(range.from, range.to);
      const rows = report.rows
        .map(
          (row) =>
            `<tr><td>${escapeHtml(row.day)}</td><td>${escapeHtml(row.credentialType)}</td><td>${escapeHtml(row.outcome)}</td><td>${escapeHtml(row.count)}</td></tr>`,
        )
        .join('');
      const credentials = report.credentials
        .map(
          (credential) =>
            `<tr><td>${escapeHtml(credential.credentialId)}</td><td>${escapeHtml(credential.type)}</td><td>${escapeHtml(credential.lastValidatedAt ?? 'never')}</td></tr>`,
        )
        .join('');

      return renderPage(
        'Usage report',
        `${form}
<h2>Validations</h2>
<table><tr><th>Day</th><th>Credential type</th><th>Outcome</th><th>Count</th></tr>${rows}</table>
<h2>Credentials validated in the range</h2>
<table><tr><th>Credential ID</th><th>Type</th><th>Last validated</th></tr>${credentials}</table>`,
      );
    } catch (error) {
      return renderPage('Usage report', form + renderError(describeFailure(error)));
    }
  }

  private credentialLookupForm(credentialId: string): string {
    return `<form method="get" action="/manager/credentials">
Credential ID <input name="credentialId" value="${escapeHtml(credentialId)}"> <button>Look up</button></form>`;
  }

  private userLookupForm(vipUserId: string): string {
    return `<form method="get" action="/manager/users">
VIP user ID <input name="vipUserId" value="${escapeHtml(vipUserId)}"> <button>Look up</button></form>`;
  }

  private stateActionForms(credentialId: string, state: string): string {
    const action = `/manager/credentials/${encodeURIComponent(credentialId)}/state`;
    const reasons = Object.values(DisableReason)
      .map((reason) => `<option>${escapeHtml(reason)}</option>`)
      .join('');

    return Object.values(CredentialAction)
      .filter((candidate) => TRANSITIONS[candidate].from.some((from) => from === state))
      .map((candidate) => {
        const reasonField =
          candidate === CredentialAction.Disable
            ? ` reason <select name="reason">${reasons}</select>`
            : '';

        return `<form method="post" action="${escapeHtml(action)}">${csrfField()}
<input type="hidden" name="action" value="${escapeHtml(candidate)}">${reasonField}
<button>${escapeHtml(candidate)}</button></form>`;
      })
      .join('\n');
  }

  private temporaryCodeForms(vipUserId: string): string {
    const base = `/manager/users/${encodeURIComponent(vipUserId)}/temporary-code`;

    return `<form method="post" action="${escapeHtml(base)}">${csrfField()}
Code <input name="code" placeholder="generated when empty" pattern="[0-9]{6}">
lifetime in seconds <input name="expiresInSeconds" placeholder="86400">
<label><input type="checkbox" name="oneTime"> one-time</label>
<button>Set temporary code</button></form>
<form method="post" action="${escapeHtml(`${base}/clear`)}">${csrfField()}<button>Clear temporary code</button></form>`;
  }
}
