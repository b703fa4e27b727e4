#!/usr/bin/env node
// Reads bibkit's BibTeX, BibLaTeX, RIS and CSL-JSON with citation-js and prints what it
// understood as CSL-JSON, so the interop tests can compare it with bibkit's own CSL-JSON.
//
// One JSON request on stdin, one JSON answer on stdout, so a whole test run costs one process:
//   request: {"jobs": [{"name": N, "format": "bibtex"|"biblatex"|"ris"|"csljson", "text": S}]}
//   answer:  {"versions": {PACKAGE: VERSION}, "results": [{"name": N, "items": [CSL-JSON...],
//             "log": [{"level": L, "scope": S, "message": M}], "error": null|MESSAGE}]}
// "log" holds the warnings and errors citation-js reported while parsing.
"use strict";

const fs = require("fs");
const core = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");
require("@citation-js/plugin-csl");

// Parse each format as what it is, never by citation-js's own guess.
const INPUT_TYPES = {
  bibtex: "@bibtex/text",
  biblatex: "@biblatex/text",
  ris: "@ris/file",
  csljson: "@csl/list+object",
};

const LOGGED_LEVELS = new Set(["unmapped", "warn", "error"]);

function captureLog() {
  // Replacing the level functions keeps the messages off stderr and remembers their level.
  const entries = [];
  for (const level of LOGGED_LEVELS) {
    core.logger[level] = (scope, ...message) => {
      entries.push({ level, scope: String(scope), message: message.map(String).join(" ") });
    };
  }
  return entries;
}

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
}

function run(job, log) {
  const type = INPUT_TYPES[job.format];
  if (!type) {
    return { name: job.name, items: [], log: [], error: `unknown format ${job.format}` };
  }
  const start = log.length;
  try {
    const input = job.format === "csljson" ? JSON.parse(job.text) : job.text;
    const cite = new core.Cite(input, { forceType: type });
    const items = cite.format("data", { format: "object" });
    return { name: job.name, items, log: log.slice(start), error: null };
  } catch (error) {
    return { name: job.name, items: [], log: log.slice(start), error: String(error.stack || error) };
  }
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  const log = captureLog();
  const versions = {};
  for (const name of [
    "@citation-js/core",
    "@citation-js/plugin-bibtex",
    "@citation-js/plugin-ris",
    "@citation-js/plugin-csl",
  ]) {
    versions[name] = packageVersion(name);
  }
  const results = request.jobs.map((job) => run(job, log));
  process.stdout.write(JSON.stringify({ versions, results }));
}

main();
