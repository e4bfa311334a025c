/**
 * RFC 9457 problem+json, as every API error arrives. Components show `detail` (written for people)
 * and branch on `code` (stable); `status` 0 means the request never got an answer.
 */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  instance?: string;
  request_id?: string;
  errors?: { field: string | null; message: string }[];
  [extra: string]: unknown;
}

const NO_ANSWER = "We could not reach ProcusMeet. Check your connection and try again.";

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly body: ProblemBody;

  constructor(status: number, body: ProblemBody) {
    const detail = body.detail ?? body.title ?? (status === 0 ? NO_ANSWER : `The request failed (${status}).`);
    super(detail);
    this.name = "ApiProblem";
    this.status = status;
    this.code = body.code ?? (status === 0 ? "network_error" : "unknown_error");
    this.detail = detail;
    this.body = body;
  }

  /** The message for one form field, when the API named it. */
  fieldError(field: string): string | undefined {
    return this.body.errors?.find((e) => e.field === field)?.message;
  }
}

function isProblemBody(value: unknown): value is ProblemBody {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Turn whatever openapi-fetch returned as `error` (or a thrown fetch failure) into an ApiProblem. */
export function toProblem(error: unknown, response?: Response): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof Error && "body" in error && "status" in error && typeof error.status === "number") {
    return toProblem(error.body, new Response(null, { status: error.status }));
  }
  const status = response?.status ?? 0;
  if (isProblemBody(error)) return new ApiProblem(status, error);
  if (typeof error === "string" && error) return new ApiProblem(status, { detail: error });
  if (error instanceof Error && error.name === "TypeError") return new ApiProblem(0, { detail: NO_ANSWER });
  if (error instanceof Error) return new ApiProblem(status, { detail: error.message });
  return new ApiProblem(status, {});
}

/** Unwrap an openapi-fetch result: the data, or a thrown ApiProblem (what TanStack Query expects). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw toProblem(result.error, result.response);
  return result.data as T;
}

/** The words to show for any error caught in a component. */
export function problemMessage(error: unknown): string {
  return toProblem(error).detail;
}
