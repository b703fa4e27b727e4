#!/usr/bin/env node
// Renders CSL-JSON bibliographies with citeproc-js, the engine Zotero uses, so that the tests
// can compare bibkit's reference lists with it entry by entry.
//
// Reads one JSON request on stdin and writes one JSON answer on stdout, so a whole test run
// costs a single node process:
//   request: {"localesDir": DIR, "jobs": [{"name": N, "style": PATH, "locale": null|"en-US",
//             "items": [CSL-JSON...], "format": "html"|"text", "repeat": 1}]}
//   answer:  {"results": [{"name": N, "entries": [{"id": ID, "entry": STRING}], "ms": T,
//             "error": null|MESSAGE}]}
// "repeat" re-renders the job that many times and reports the mean time (for benchmarks).
"use strict";

const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

function readStdin() {
  return fs.readFileSync(0, "utf8");
}

function localeLoader(localesDir) {
  const cache = new Map();
  return (lang) => {
    if (cache.has(lang)) {
      return cache.get(lang);
    }
    let text = null;
    const candidates = [lang, lang.split("-")[0]];
    for (const name of candidates) {
      const file = path.join(localesDir, `locales-${name}.xml`);
      if (fs.existsSync(file)) {
        text = fs.readFileSync(file, "utf8");
        break;
      }
    }
    if (text === null && lang.split("-")[0] === "en") {
      text = fs.readFileSync(path.join(localesDir, "locales-en-US.xml"), "utf8");
    }
    cache.set(lang, text);
    return text;
  };
}

function renderOnce(job, styleXml, retrieveLocale) {
  const byId = new Map(job.items.map((item) => [String(item.id), item]));
  const sys = {
    retrieveLocale,
    retrieveItem: (id) => byId.get(String(id)),
  };
  // Like Zotero: the style's default-locale wins unless a locale is asked for explicitly.
  const engine = job.locale
    ? new CSL.Engine(sys, styleXml, job.locale, true)
    : new CSL.Engine(sys, styleXml);
  engine.setOutputFormat(job.format || "html");
  engine.updateItems(job.items.map((item) => String(item.id)));
  const bib = engine.makeBibliography();
  if (!bib) {
    return [];
  }
  const [params, strings] = bib;
  return params.entry_ids.map((ids, i) => ({ id: String(ids[0]), entry: strings[i] }));
}

function runJob(job, retrieveLocale) {
  const styleXml = fs.readFileSync(job.style, "utf8");
  const repeat = Math.max(1, job.repeat || 1);
  let entries = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i += 1) {
    entries = renderOnce(job, styleXml, retrieveLocale);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / repeat;
  return { name: job.name, entries, ms, error: null };
}

function main() {
  const request = JSON.parse(readStdin());
  const retrieveLocale = localeLoader(request.localesDir);
  const results = request.jobs.map((job) => {
    try {
      return runJob(job, retrieveLocale);
    } catch (err) {
      return { name: job.name, entries: [], ms: 0, error: String(err && err.stack ? err.stack : err) };
    }
  });
  process.stdout.write(JSON.stringify({ results }));
}

main();
