// Progressive enhancement only: every page works without it. MoJ Frontend's components found on
// the page (the sortable tables of complete lists) start here; served from this origin (strict CSP).
import { initAll } from './moj-frontend.min.js';

initAll();
