// Progressive enhancement only: every page works without it. GOV.UK Frontend's components found on
// the page (an error summary takes the focus after a form) and MoJ Frontend's (the sortable tables
// of complete lists) start here; served from this origin (strict CSP).
import { initAll as initGovuk } from './govuk-frontend.min.js';
import { initAll } from './moj-frontend.min.js';

initGovuk();
initAll();
