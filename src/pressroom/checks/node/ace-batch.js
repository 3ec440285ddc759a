// DAISY Ace over many EPUBs in one Node.js process and one browser (see checks/ace.py).
//
// ace-cli checks one book a run and starts a browser for it (about 2 s of a 3 s run here).
// This runs Ace's own engine (@daisy/ace-core) with Ace's own Puppeteer runner, launched once
// and shared: each book is a few more pages in the same browser, up to JOBS books at a time.
//
// usage: node ace-batch.js ACE_DIR JOBS BOOK OUTDIR [BOOK OUTDIR ...]
// Writes OUTDIR/report.json (Ace's report) for each book, or OUTDIR/error.txt if Ace could not
// check it; exits 0 when every book has one or the other.
'use strict';

const fs = require('fs');
const path = require('path');

const [aceDir, jobsArg, ...pairs] = process.argv.slice(2);
const modules = path.join(aceDir, 'node_modules');
const ace = require(path.join(modules, '@daisy', 'ace-core'));
const logger = require(path.join(modules, '@daisy', 'ace-logger'));
const runner = require(path.join(modules, '@daisy', 'ace-axe-runner-puppeteer'));

let browser = null;
const shared = {
  concurrency: runner.concurrency,
  setTimeout: runner.setTimeout,
  launch: () => browser || (browser = runner.launch()),  // once, for every book
  close: async () => {},                                   // closed after the last book
  run: (...args) => runner.run(...args),
};

async function one(book, outdir) {
  try {
    await ace(book, { cwd: process.cwd(), outdir, tmpdir: path.join(outdir, 'book'),
                      lang: 'en', silent: true, jobid: book }, shared);
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    fs.writeFileSync(path.join(outdir, 'error.txt'), message || 'Ace failed');
  }
}

async function main() {
  logger.initLogger({ silent: true, verbose: false });
  const books = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) books.push([pairs[i], pairs[i + 1]]);
  let next = 0;
  const jobs = Math.max(1, parseInt(jobsArg, 10) || 1);
  const worker = async () => {
    while (next < books.length) {
      const [book, outdir] = books[next++];
      await one(book, outdir);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, books.length) }, worker));
  } finally {
    if (browser) {
      await browser;
      await runner.close();
    }
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
