import * as bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';

import { createScratchDatabase, dropScratchDatabase } from '@app/database';

import { BenchContext } from '../lib/context';
import { BenchmarkResult, TargetCheck, checkTarget } from '../lib/results';
import { startServices } from '../lib/services';
import { RunMeasurement, median, round } from '../lib/stats';
import {
  AdministeredInstitution,
  LoginFixture,
  createInstitution,
  createLoginFixture,
} from '../login/login-fixture';
import { runFullLogins } from '../login/login-load';
import {
  AUDIT_PAGE_SIZE,
  captureAuditPageQueries,
  cursorForEvent,
  runAuditPages,
} from './audit-page';
import { AUTH_SCHEMA, GrowthDataGenerator } from './growth-data';
import { profiled } from '../lib/profiler';

const SMALL_USERS = 1000;
const LOGIN_USERS = 64;
const LOGINS_PER_RUN = 24;
const AUDIT_REQUESTS_PER_RUN = 200;
const MAX_GROWTH_RATIO = 1.1;
const MAX_AUDIT_PAGE_MS = 5;
const GENERATED_USER_PASSWORD = 'Growth-User-Pass-1';
/** One generated event in this many belongs to the sparse institution. */
const SPARSE_EVERY = 10_000;

/**
 * An audit page of one institution: the first page, or the page after the
 * event at `offset` in that institution's newest-first order.
 */
interface PagePosition {
  name: string;
  institution: AdministeredInstitution;
  offset: number | null;
  cursor?: string;
}

interface PositionResult {
  name: string;
  offset: number | null;
  runs: RunMeasurement[];
  medianP50: number;
  medianP99: number;
}

interface StateResult {
  users: number;
  auditEvents: number;
  auditTableSize: string;
  login: { runs: RunMeasurement[]; medianP50: number };
  auditPages: PositionResult[];
}

interface ExplainedPage {
  position: string;
  statements: Array<{ sql: string; parameters: unknown[]; plan: string[] }>;
}

function medianOf(runs: RunMeasurement[], select: (run: RunMeasurement) => number): number {
  return round(median(runs.map(select)));
}

class GrowthBenchmark {
  constructor(
    private readonly context: BenchContext,
    private readonly fixture: LoginFixture,
    private readonly generator: GrowthDataGenerator,
  ) {}

  async measureState(label: string, positions: PagePosition[]): Promise<StateResult> {
    const { log, settings } = this.context;
    const size = await this.generator.query<{ users: string; events: string; size: string }>(
      `SELECT (SELECT count(*) FROM ${AUTH_SCHEMA}.users) AS users,
              (SELECT count(*) FROM ${AUTH_SCHEMA}.audit_events) AS events,
              pg_size_pretty(pg_total_relation_size('${AUTH_SCHEMA}.audit_events')) AS size`,
    );
    log(`${label}: ${size[0].users} users, ${size[0].events} audit events (${size[0].size})`);

    const loginRuns: RunMeasurement[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      const measured = await runFullLogins(this.fixture, LOGINS_PER_RUN, 1, log);
      log(
        `  login run ${run + 1}: p50 ${measured.latency.p50.toFixed(2)} ms, ${measured.errors} errors`,
      );
      loginRuns.push(measured);
    }

    const auditPages: PositionResult[] = [];
    for (const position of positions) {
      const runs: RunMeasurement[] = [];
      for (let run = 0; run < settings.runs; run += 1) {
        const measured = await profiled(
          `audit-page-${label}-${position.offset}-run${run + 1}`,
          () =>
            runAuditPages(
              this.fixture.apiUrl,
              position.institution.adminHeaders,
              position.cursor,
              AUDIT_REQUESTS_PER_RUN,
            ),
        );
        log(
          `  audit page "${position.name}" run ${run + 1}: p50 ${measured.latency.p50.toFixed(2)} ms, ` +
            `p99 ${measured.latency.p99.toFixed(2)} ms, ${measured.errors} errors`,
        );
        runs.push(measured);
      }
      auditPages.push({
        name: position.name,
        offset: position.offset,
        runs,
        medianP50: medianOf(runs, (run) => run.latency.p50),
        medianP99: medianOf(runs, (run) => run.latency.p99),
      });
    }

    return {
      users: Number(size[0].users),
      auditEvents: Number(size[0].events),
      auditTableSize: size[0].size,
      login: { runs: loginRuns, medianP50: medianOf(loginRuns, (run) => run.latency.p50) },
      auditPages,
    };
  }

  async countEvents(institution: AdministeredInstitution): Promise<number> {
    const rows = await this.generator.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${AUTH_SCHEMA}.audit_events WHERE institution_id = $1`,
      [institution.institutionId],
    );

    return Number(rows[0].count);
  }

  /** Finds the event at `offset` in the page order and returns the cursor of the page after it. */
  async positionAfter(
    name: string,
    institution: AdministeredInstitution,
    offset: number,
  ): Promise<PagePosition> {
    const rows = await this.generator.query<{ id: string }>(
      `SELECT id FROM ${AUTH_SCHEMA}.audit_events
        WHERE institution_id = $1
        ORDER BY occurred_at DESC, id DESC
        OFFSET $2 LIMIT 1`,
      [institution.institutionId, offset],
    );
    if (rows.length === 0) {
      throw new Error(`no audit event at offset ${offset}`);
    }

    return { name, institution, offset, cursor: cursorForEvent(rows[0].id) };
  }

  async explain(dataSource: DataSource, position: PagePosition): Promise<ExplainedPage> {
    const captured = await captureAuditPageQueries(
      dataSource,
      this.fixture.apiUrl,
      position.institution.adminHeaders,
      position.cursor,
    );
    const statements: ExplainedPage['statements'] = [];
    for (const query of captured) {
      const plan = await this.generator.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`,
        query.parameters,
      );
      statements.push({ ...query, plan: plan.map((row) => row['QUERY PLAN']) });
    }

    return { position: position.name, statements };
  }
}

function buildTargets(small: StateResult, large: StateResult): TargetCheck[] {
  const targets = [
    checkTarget(
      `login p50 with ${large.users} users and ${large.auditEvents} audit events ≤ ` +
        `${MAX_GROWTH_RATIO} × p50 with ${small.users} users`,
      round(large.login.medianP50 / small.login.medianP50),
      '<=',
      MAX_GROWTH_RATIO,
      'ratio',
    ),
    checkTarget(
      `first audit page p50 in the large state ≤ ${MAX_GROWTH_RATIO} × p50 in the small state`,
      round(large.auditPages[0].medianP50 / small.auditPages[0].medianP50),
      '<=',
      MAX_GROWTH_RATIO,
      'ratio',
    ),
  ];
  for (const page of large.auditPages) {
    targets.push(
      checkTarget(
        `audit page "${page.name}" p50 < ${MAX_AUDIT_PAGE_MS} ms`,
        page.medianP50,
        '<=',
        MAX_AUDIT_PAGE_MS,
        'ms',
      ),
    );
  }

  return targets;
}

/**
 * Login p50 and admin audit-page p50 with 1,000 users and an empty audit
 * trail, then again after SQL has generated 1,000,000 users and 10,000,000
 * audit events. Nearly all events belong to the benchmark institution, so
 * its pages reach any depth. One in 10,000 belongs to a second, sparse
 * institution. Its few events are spread over the whole table, so they are
 * slow to find through an index that does not lead with the institution.
 * EXPLAIN ANALYZE is taken of the page queries at shallow and deep
 * positions of both.
 */
export async function runGrowthBenchmark(context: BenchContext): Promise<BenchmarkResult> {
  const { settings, log } = context;
  const databaseUrl = await createScratchDatabase(context.server.url, 'bench_growth');
  const services = await startServices({
    databaseUrl,
    logLevel: settings.serviceLogLevel,
    bcryptCost: settings.bcryptCost,
  });
  const generator = await GrowthDataGenerator.connect(databaseUrl);

  try {
    const generatedBefore = new Date();
    const fixture = await createLoginFixture(services, LOGIN_USERS, log);
    const main: AdministeredInstitution = fixture;
    const sparse = await createInstitution(
      fixture.apiUrl,
      services.operatorApiKey,
      `sparse${Date.now().toString(36)}`,
    );
    const benchmark = new GrowthBenchmark(context, fixture, generator);
    const passwordHash = await bcrypt.hash(GENERATED_USER_PASSWORD, settings.bcryptCost);

    await generator.fillUsers(fixture.institutionId, passwordHash, SMALL_USERS, log);
    await generator.emptyAuditTrail();
    const small = await benchmark.measureState('small state', [
      { name: 'first page', institution: main, offset: null },
    ]);

    log(`Generating ${settings.growthUsers} users and ${settings.growthAuditEvents} audit events`);
    const generationStartedAt = Date.now();
    const generatedUsers = await generator.fillUsers(
      fixture.institutionId,
      passwordHash,
      settings.growthUsers,
      log,
    );
    await generator.generateAuditEvents(
      { main: main.institutionId, sparse: sparse.institutionId, sparseEvery: SPARSE_EVERY },
      settings.growthAuditEvents,
      generatedUsers,
      generatedBefore,
      log,
    );
    const generationSeconds = round((Date.now() - generationStartedAt) / 1000, 1);
    log(`Generated in ${generationSeconds} s`);

    const total = await benchmark.countEvents(main);
    const sparseTotal = await benchmark.countEvents(sparse);
    const middle = Math.floor(total / 2);
    const early = Math.min(1_000_000, Math.floor(total / 10));
    const positions: PagePosition[] = [
      { name: 'first page', institution: main, offset: null },
      await benchmark.positionAfter(`after ${early} events`, main, early),
      await benchmark.positionAfter(`after ${middle} events`, main, middle),
      await benchmark.positionAfter(`last page (${total} events)`, main, total - 25),
      { name: `sparse institution, first page`, institution: sparse, offset: null },
      await benchmark.positionAfter(
        `sparse institution, last page (${sparseTotal} events)`,
        sparse,
        Math.max(sparseTotal - 25, 0),
      ),
    ];
    const large = await benchmark.measureState('large state', positions);

    const dataSource = services.auth.app.get(DataSource);
    const explained: ExplainedPage[] = [];
    for (const position of [positions[0], positions[2], positions[3], positions[4], positions[5]]) {
      explained.push(await benchmark.explain(dataSource, position));
    }

    return {
      name: 'growth',
      measuredAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        runs: settings.runs,
        loginsPerRun: LOGINS_PER_RUN,
        loginConcurrency: 1,
        auditRequestsPerRun: AUDIT_REQUESTS_PER_RUN,
        auditPageSize: AUDIT_PAGE_SIZE,
        sparseInstitutionShare: `1 of every ${SPARSE_EVERY} generated events`,
        bcryptCost: settings.bcryptCost,
        generationSeconds,
        serviceLogLevel: settings.serviceLogLevel,
      },
      targets: buildTargets(small, large),
      data: { small, large, explained },
    };
  } finally {
    await generator.close();
    await services.close();
    await dropScratchDatabase(context.server.url, databaseUrl);
  }
}
