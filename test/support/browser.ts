/** The browser tests' shared pieces: Debian's Chromium through playwright-core, and Ant Design's buttons. */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
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
