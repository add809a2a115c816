// Problems (RFC 9457) as the server answers them, and the error the API client throws.

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}

/** ApiError carries the server's problem; `detail` is what the user reads. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** problemMessage is the text shown for a failed action: the problem's detail, else its title. */
export function problemMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
