#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { flagMessage } from './flags.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerEstimate } from './commands/estimate.js';
import { registerEvolve } from './commands/evolve.js';
import { registerPredict } from './commands/predict.js';
import { registerSearch } from './commands/search.js';
import { registerSpaces } from './commands/spaces.js';
import { registerSwitch } from './commands/switch.js';
import { registerValidate } from './commands/validate.js';

/** The version in package.json (one folder above src/ and dist/ alike). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const program = new Command('blocknas')
  .description('hardware-aware NAS: block-wise prediction and integer-programming search')
  .version(packageVersion(), '-V, --version', 'print the blocknas version')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
for (const register of [registerSpaces, registerEstimate, registerPredict, registerSearch, registerValidate]) {
  register(program);
}
registerAnalyze(program);
registerEvolve(program);
registerSwitch(program);
for (const cmd of program.commands) cmd.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander already printed its one-line message (or the help text)
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UserError) {
    process.stderr.write(`blocknas: ${flagMessage(e)}\n`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
