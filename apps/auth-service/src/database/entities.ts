import { AuditEvent } from '../audit/audit-event.entity';
import { Challenge } from '../auth/challenge.entity';
import { Institution } from '../institutions/institution.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../users/user.entity';

/** Every TypeORM entity of the auth service. */
export const AUTH_ENTITIES = [Institution, User, Challenge, Session, AuditEvent];
