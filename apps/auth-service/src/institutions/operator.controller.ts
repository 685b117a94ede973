import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrorResponses } from '@app/common';

import { OperatorKeyGuard } from '../common/api-key.guard';
import { RequestContext, RequestMeta } from '../common/request-context';
import { OPERATOR_KEY_SCHEME } from '../common/security-schemes';
import { UserView, toUserView } from '../users/dto/user.view';
import { CreateInstitutionDto } from './dto/create-institution.dto';
import { InstitutionView, toInstitutionView } from './dto/institution.view';
import { ProvisionSecureTokenDto } from './dto/provision-secure-token.dto';
import { InstitutionsService } from './institutions.service';

const institutionIdPipe = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: 'institutionId must be a UUID v4',
    }),
});

class CreatedInstitutionView {
  @ApiProperty({ type: InstitutionView })
  institution: InstitutionView;

  @ApiProperty({ type: UserView })
  admin: UserView;
}

class InstitutionListView {
  @ApiProperty({ type: [InstitutionView] })
  items: InstitutionView[];
}

@ApiTags('operator')
@ApiSecurity(OPERATOR_KEY_SCHEME)
@ApiErrorResponses({ 401: ['INVALID_OPERATOR_KEY'] })
@UseGuards(OperatorKeyGuard)
@Controller('operator/institutions')
export class OperatorController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an institution and its first administrator' })
  @ApiCreatedResponse({ type: CreatedInstitutionView })
  @ApiErrorResponses({
    400: ['VALIDATION_FAILED'],
    409: ['INSTITUTION_NAME_TAKEN', 'USERNAME_TAKEN'],
  })
  async create(
    @Body() body: CreateInstitutionDto,
    @RequestMeta() context: RequestContext,
  ): Promise<CreatedInstitutionView> {
    const created = await this.institutions.create(body, context);

    return {
      institution: toInstitutionView(created.institution),
      admin: toUserView(created.admin),
    };
  }

  @Get()
  @ApiOperation({ summary: 'List institutions' })
  @ApiOkResponse({ type: InstitutionListView })
  async list(): Promise<InstitutionListView> {
    const institutions = await this.institutions.list();

    return { items: institutions.map(toInstitutionView) };
  }

  @Post(':institutionId/secure-token/provision')
  @ApiOperation({
    summary: 'Provision secure tokens after the support case, so administrators can enable them',
  })
  @ApiCreatedResponse({ type: InstitutionView })
  @ApiErrorResponses({
    400: ['VALIDATION_FAILED'],
    404: ['INSTITUTION_NOT_FOUND'],
    409: ['SECURE_TOKEN_ALREADY_PROVISIONED'],
  })
  async provision(
    @Param('institutionId', institutionIdPipe) institutionId: string,
    @Body() body: ProvisionSecureTokenDto,
    @RequestMeta() context: RequestContext,
  ): Promise<InstitutionView> {
    const institution = await this.institutions.provisionSecureToken(
      institutionId,
      body.supportCaseReference,
      context,
    );

    return toInstitutionView(institution);
  }
}
