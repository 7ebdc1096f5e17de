#!/usr/bin/env node
import { flush, run } from '@oclif/core';

// A reader that went away (`mm help | head`) ends the run quietly: there is nobody left to tell.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Errors raised outside a command (an unknown command, `mm help <unknown>`) follow the same
// contract as a command's own: one line with a hint on stderr, or {"error": …} under --json, and
// the exit code of the README's table. The handler is imported only when something failed.
try {
  await run(process.argv.slice(2), import.meta.url);
  await flush();
} catch (err) {
  const { reportTopLevelError } = await import('../dist/src/cli/top-level-error.js');
  reportTopLevelError(err, process.argv.slice(2));
}
