/** The workflows the EPA worker registers. */
export { epaWorkflow } from './epa';
export { importSummaryWorkflow } from './import-summary';
