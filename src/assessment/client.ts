/**
 * A client for the Apprenticeship assessment service's External API (the contract:
 * src/assessment/contract.ts): EPA records and certificates, checked with zod on the way in.
 *
 * - Every call sends the subscription key header; the key never appears in an error or a log.
 * - Batch calls are split at the contract's limit of 25, each item with a `requestId` (the caller's,
 *   or its position), and the answers are matched back to the requests by it.
 * - Each call has a timeout. Only reads are retried here (a network error, a 5xx, a 429 after the
 *   wait it asks for): creating or submitting twice is for the caller to reconcile (src/assessment/claims.ts
 *   reads what the service holds before it writes again).
 */
import type { z } from 'zod';
import {
  ApiResponseSchema,
  BATCH_LIMIT,
  CertificateResponseSchema,
  CertificateSchema,
  EpaResponseSchema,
  GradesSchema,
  LearnerSchema,
  SUBSCRIPTION_KEY_HEADER,
  type Certificate,
  type CertificateResponse,
  type CreateCertificateRequest,
  type CreateEpaRequest,
  type EpaResponse,
  type Learner,
  type SubmitCertificateRequest,
  type UpdateEpaRequest,
} from './contract';

export interface AssessmentServiceSettings {
  /** e.g. https://apis.apprenticeships.education.gov.uk/assessor-service-api-sandbox/ */
  baseUrl: string;
  subscriptionKey: string;
  /** Per call (default 30 s). */
  timeoutMs?: number;
  /** Reads are tried this many times in all (default 3). */
  readAttempts?: number;
  /** Waits between read attempts (tests shorten them). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A call that did not give an answer the caller can use. `unavailable`: the service could not be
 * reached or answered 5xx or 429 (try again later); `refused`: it answered 4xx with its message (the
 * request must change); `invalid_response`: the answer does not match the contract.
 */
export class AssessmentServiceError extends Error {
  /** For a 429: how long the service asked to wait. */
  retryAfterMs?: number;

  constructor(
    message: string,
    readonly kind: 'unavailable' | 'refused' | 'invalid_response',
    readonly status?: number,
  ) {
    super(message);
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AssessmentServiceClient {
  private readonly base: string;

  constructor(private readonly settings: AssessmentServiceSettings) {
    this.base = settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`;
  }

  /** What the client talks to, for start-up lines (no key). */
  describe(): string {
    return new URL(this.base).origin + new URL(this.base).pathname;
  }

  async getCertificate(uln: number, familyName: string, standard: string): Promise<Certificate | undefined> {
    const answer = await this.read(`api/v1/certificate/${uln}/${encodeURIComponent(familyName)}/${encodeURIComponent(standard)}`);
    return answer === undefined ? undefined : this.parse(CertificateSchema, answer, 'certificate');
  }

  async getLearner(uln: number, familyName: string, standard: string): Promise<Learner> {
    const answer = await this.read(`api/v1/learner/${uln}/${encodeURIComponent(familyName)}/${encodeURIComponent(standard)}`);
    return this.parse(LearnerSchema, answer, 'learner');
  }

  async grades(): Promise<string[]> {
    return this.parse(GradesSchema, await this.read('api/v1/certificate/grades'), 'grades');
  }

  createEpaRecords(items: CreateEpaRequest[]): Promise<EpaResponse[]> {
    return this.batched('POST', 'api/v1/epa', items, EpaResponseSchema);
  }

  updateEpaRecords(items: UpdateEpaRequest[]): Promise<EpaResponse[]> {
    return this.batched('PUT', 'api/v1/epa', items, EpaResponseSchema);
  }

  createCertificates(items: CreateCertificateRequest[]): Promise<CertificateResponse[]> {
    return this.batched('POST', 'api/v1/certificate', items, CertificateResponseSchema);
  }

  submitCertificates(items: SubmitCertificateRequest[]): Promise<CertificateResponse[]> {
    return this.batched('POST', 'api/v1/certificate/submit', items, CertificateResponseSchema);
  }

  /** A batch call, split at the contract's limit; one answer per item, in order, matched by requestId. */
  private async batched<T extends { requestId?: string }, R extends { requestId?: string }>(
    method: 'POST' | 'PUT',
    route: string,
    items: T[],
    schema: z.ZodType<R>,
  ): Promise<R[]> {
    const out: R[] = [];
    for (let from = 0; from < items.length; from += BATCH_LIMIT) {
      const chunk = items
        .slice(from, from + BATCH_LIMIT)
        .map((item, i) => ({ ...item, requestId: item.requestId ?? String(from + i + 1) }));
      const answer = await this.call(method, route, chunk);
      if (!Array.isArray(answer) || answer.length !== chunk.length)
        throw new AssessmentServiceError(`${method} /${route}: expected ${chunk.length} answers`, 'invalid_response');
      answer.forEach((raw, i) => {
        const parsed = this.parse(schema, raw, `${method} /${route} item ${from + i + 1}`);
        if (parsed.requestId !== chunk[i]!.requestId)
          throw new AssessmentServiceError(
            `${method} /${route}: answer ${from + i + 1} is for another request`,
            'invalid_response',
          );
        out.push(parsed);
      });
    }
    return out;
  }

  /** A GET, tried again after a network error, a 5xx or a 429; `undefined` for 204 (nothing there). */
  private async read(route: string): Promise<unknown> {
    const attempts = this.settings.readAttempts ?? 3;
    const sleep = this.settings.sleep ?? sleepFor;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.call('GET', route);
      } catch (err) {
        if (!(err instanceof AssessmentServiceError) || err.kind !== 'unavailable' || attempt >= attempts) throw err;
        await sleep(err.retryAfterMs ?? 500 * 2 ** (attempt - 1));
      }
    }
  }

  private async call(method: string, route: string, body?: unknown): Promise<unknown> {
    const what = `${method} /${route.replace(/\/\d{10}\/[^/]+\//, '/{uln}/{familyName}/')}`;
    let res: Response;
    try {
      res = await fetch(this.base + route, {
        method,
        headers: {
          [SUBSCRIPTION_KEY_HEADER]: this.settings.subscriptionKey,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
      throw new AssessmentServiceError(`${what}: the assessment service ${reason}`, 'unavailable');
    }
    if (res.status === 204) return undefined;
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) {
      if (json === undefined)
        throw new AssessmentServiceError(`${what}: answered ${res.status} without JSON`, 'invalid_response');
      return json;
    }
    const message = ApiResponseSchema.safeParse(json).data?.message ?? `HTTP ${res.status}`;
    const error = new AssessmentServiceError(
      `${what}: ${message}`,
      res.status >= 500 || res.status === 429 ? 'unavailable' : 'refused',
      res.status,
    );
    if (res.status === 429) {
      const seconds = /Try again in (\d+) seconds/.exec(message)?.[1] ?? res.headers.get('retry-after');
      if (seconds) error.retryAfterMs = Number(seconds) * 1000;
    }
    throw error;
  }

  private parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AssessmentServiceError(
        `${what}: the answer does not match the contract (${issue.path.join('.') || 'body'}: ${issue.message})`,
        'invalid_response',
      );
    }
    return parsed.data;
  }
}
