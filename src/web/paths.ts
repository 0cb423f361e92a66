/** Where the staff pages' templates and the GOV.UK Frontend files are, from source (jest) or from dist/ alike. */
import { existsSync } from 'node:fs';
import path from 'node:path';

function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

const root = projectRoot(__dirname);
/** Our nunjucks views: pages/ and partials/ (the layout). */
export const viewsDir = path.join(root, 'src/web/views');
/** GOV.UK Frontend's dist folder: its macros (govuk/components/…/macro.njk), stylesheet and assets. */
export const govukDir = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist';
