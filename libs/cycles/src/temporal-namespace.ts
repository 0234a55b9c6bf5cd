/**
 * What Duban needs registered in a Temporal it did not start (Temporal Server in production): its namespace and
 * the search attributes its workflows set. The CLI's development server gets both as start flags.
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { DUBAN_SEARCH_ATTRIBUTES } from '#contracts';

/** Temporal's IndexedValueType of each kind Duban uses. */
const INDEXED_VALUE_TYPE = { Keyword: 2, Datetime: 6 } as const;
/** gRPC ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

export interface NamespaceSetup {
  /** Whether the namespace was registered now (false: it was there already; its retention is left as it is). */
  registered: boolean;
  /** Search attributes added now (the others were there). */
  added: string[];
}

/**
 * Registers `namespace` with `retentionDays` of closed workflows' history, waits until the server's services all
 * know it, adds Duban's search attributes that are missing and waits until a query may name them (60 s in all).
 * Running it again changes nothing.
 * @throws the server's error (PERMISSION_DENIED, UNAVAILABLE …), or Error when the namespace is not known
 *   within 60 s.
 */
export async function registerNamespace(
  connection: Connection,
  namespace: string,
  retentionDays = 30,
): Promise<NamespaceSetup> {
  let registered = true;
  await connection.workflowService
    .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) })
    .catch((error: { code?: number }) => {
      if (error.code !== ALREADY_EXISTS) throw error;
      registered = false;
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`namespace ${namespace} not known after 60 s: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(DUBAN_SEARCH_ATTRIBUTES).filter(
    ([name]) => !(name in (existing.customAttributes ?? {})),
  );
  if (missing.length > 0) {
    await connection.operatorService
      .addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_VALUE_TYPE[type]])),
      })
      .catch((error: { code?: number }) => {
        if (error.code !== ALREADY_EXISTS) throw error;
      });
  }
  // The frontend checks a workflow's search attributes against its cached copy of the namespace, refreshed every
  // few seconds: until a query naming them passes, a start setting them would be refused.
  const probe = Object.keys(DUBAN_SEARCH_ATTRIBUTES)
    .map((name) => `${name} IS NULL`)
    .join(' AND ');
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, query: probe, pageSize: 1 });
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`search attributes of ${namespace} not usable after 60 s: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return { registered, added: missing.map(([name]) => name) };
}
