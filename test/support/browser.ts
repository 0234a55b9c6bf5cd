/** The browser tests' shared pieces: Debian's Chromium through playwright-core, and Ant Design's buttons. */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { chromiumPath } from './test-stack.js';

/** The flags the project's machines need for Debian's Chromium (headless comes with `headless: true`). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** A button by its text; Ant Design puts a space between the two characters of a two-character label. */
export function button(page: Page | Locator, text: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^${[...text].join('\\s?')}$`) });
}

/**
 * Clicks `target` and waits for the web app's POST to a path ending in `/${action}` (the request the click
 * makes) to be answered; answers its JSON. Throws with the API's status and body when it was refused or failed,
 * so that a browser test says why an action did not take effect rather than only that a later state never
 * came. `timeoutMs` (default 60 000 ms) covers an action’s wait for a worker (up to 25 s) on a loaded machine.
 */
export async function clickForAnswer(
  page: Page,
  target: Locator,
  action: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const path = (r: { url(): string }) => new URL(r.url()).pathname;
  const [response] = await Promise.all([
    page
      .waitForResponse((r) => r.request().method() === 'POST' && path(r).endsWith(`/${action}`), { timeout: timeoutMs })
      .catch((error: unknown) => {
        throw new Error(`no POST …/${action} answered within ${timeoutMs} ms of the click (did the form refuse it?)`, {
          cause: error,
        });
      }),
    target.click(),
  ]);
  const text = await response.text();
  if (!response.ok()) throw new Error(`POST ${path(response)} answered ${response.status()}: ${text}`);
  try {
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  } catch {
    throw new Error(`POST ${path(response)} answered ${response.status()} with no JSON: ${text.slice(0, 200)}`);
  }
}

/** Signs `login` in through the sign-in page of the web app at `url`, in a new page of `context`. */
export async function signIn(context: BrowserContext, url: string, login: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('用户名或邮箱').fill(login);
  await page.getByLabel('密码').fill(password);
  await button(page, '登录').click();
  await page.getByTestId('signed-in-as').waitFor();
  return page;
}

/**
 * Records every Content-Security-Policy violation in the context's pages and frames (Chromium's console report and
 * the `securitypolicyviolation` event) into `into`, so a test can assert the web app runs under the API's policy.
 */
export async function recordPolicyViolations(context: BrowserContext, into: string[]): Promise<void> {
  // (Runs in the page: a string, as the test's own code has no DOM types.)
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI + ' (' + location.pathname + ')');
  });`);
  context.on('console', (message) => {
    if (/CSP violation|Content Security Policy/i.test(message.text())) into.push(message.text());
  });
}
