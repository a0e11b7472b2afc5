// Google's CSP Evaluator on one Content-Security-Policy (security.md R21).
// Usage: node scripts/csp_check.mjs "<policy>"   (or the policy on stdin)
// Prints one JSON object {"failing": [...], "medium": [...], "other": [...]}; each finding has
// severity, directive, value and description. Exits 1 when a finding is HIGH (or SYNTAX: a
// directive the browser would not understand), 0 otherwise.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const { CspEvaluator } = require("csp_evaluator/dist/evaluator.js");
const { CspParser } = require("csp_evaluator/dist/parser.js");
const { Severity } = require("csp_evaluator/dist/finding.js");

const policy = (process.argv[2] ?? readFileSync(0, "utf8")).trim();
if (!policy) {
  console.error("csp_check: no policy given");
  process.exit(2);
}
const findings = new CspEvaluator(new CspParser(policy).csp).evaluate().map((f) => ({
  severity: Severity[f.severity],
  directive: f.directive,
  value: f.value ?? null,
  description: f.description,
}));
const failing = findings.filter((f) => ["HIGH", "SYNTAX"].includes(f.severity));
const medium = findings.filter((f) => f.severity.startsWith("MEDIUM") || f.severity === "HIGH_MAYBE");
const other = findings.filter((f) => !failing.includes(f) && !medium.includes(f));
console.log(JSON.stringify({ failing, medium, other }, null, 2));
process.exit(failing.length ? 1 : 0);
