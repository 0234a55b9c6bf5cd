/** The browser tests' shared pieces: Debian's Chromium through playwright-core, and Ant Design's buttons. */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { chromiumPath } from './test-stack.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}

/** A button by its text; Ant Design puts a space between the two characters of a two-character label. */
export function button(page: Page | Locator, text: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^${[...text].join('\\s?')}$`) });
}
