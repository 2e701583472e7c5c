/** The statuses a run is shown with (`shownStatus`), as GET /api/runs?status= takes them. */
export const runStatuses = ["running", "waiting", "done", "failed", "interrupted"] as const;
