import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * What axe-core (WCAG 2.x A and AA rules plus its best practices) finds wrong with the page as
 * it is now, one line per element: `rule (impact): selector: what to fix`. Empty when nothing.
 * axe is evaluated through the DevTools protocol, so the app's CSP does not stop it.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact}): ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`,
    ),
  );
}
