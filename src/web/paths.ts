/** Where the staff pages' templates and the GOV.UK Frontend files are, from source (jest) or from dist/ alike. */
import path from 'node:path';
import { projectRoot } from '../project-root';

const root = projectRoot(__dirname);
/** Our nunjucks views: pages/ and partials/ (the layout). */
export const viewsDir = path.join(root, 'src/web/views');
/** Our own static files (a small stylesheet): served under /assets with GOV.UK Frontend's. */
export const publicDir = path.join(root, 'src/web/public');
/** GOV.UK Frontend's dist folder: its macros (govuk/components/…/macro.njk), stylesheet and assets. */
export const govukDir = path.dirname(require.resolve('govuk-frontend/package.json')) + '/dist';
/** MoJ Frontend's package: its macros (moj/components/…/macro.njk) and stylesheet (moj/moj-frontend.min.css). */
export const mojDir = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'));
