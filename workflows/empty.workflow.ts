/**
 * empty: does nothing and completes. The baseline of `npm run bench:cycle`
 * (the raw throughput of a workflow on the same server and worker).
 */
export async function emptyWorkflow(): Promise<void> {}
