/**
 * QA scenarios: load scenario files, run them on fresh simulators with a virtual clock, report.
 *
 *   scenario file --scenario/--> Scenario[] --run/suite--> SuiteResult --report/--> JUnit, JSON, HTML
 */
export { discoverScenarioFiles, type Discovered } from "./discover.js";
export { loadScenarioFile, loadScenarioSource, scenarioSyntaxOf, type LoadedScenarios } from "./scenario/load.js";
export { readSimulatorScripts, type LoadedSimulatorScripts } from "./scenario/sim-script.js";
export { runSuite, type SuiteOptions, type SuiteRun } from "./run/suite.js";
export { parseShard } from "./run/select.js";
export { fileSources } from "./run/sources.js";
export {
  renderReport,
  writeReports,
  parseReporter,
  REPORT_FORMATS,
  type ReportFormat,
  type ReportSpec,
} from "./report/write-reports.js";
export {
  totalsOf,
  suiteSummaryLine,
  type ScenarioResult,
  type ScenarioStatus,
  type SuiteResult,
  type SuiteTotals,
} from "./result.js";
