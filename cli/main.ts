import { Command } from 'commander';
import { FoveaError } from '../src/tensor/errors.js';
import { fixturesCommand } from './fixtures.js';
import { tourCommand } from './tour.js';

/** The `fovea` command line. */
const program = new Command()
  .name('fovea')
  .description('Convolutional neural networks in TypeScript')
  .showHelpAfterError();

program
  .command('fixtures')
  .description('check fovea against PyTorch reference cases (folders of case.json + .npy files)')
  .argument('<dirs...>', 'folders searched recursively for case.json')
  .action((dirs: string[]) => {
    process.exitCode = fixturesCommand(dirs, (line) => console.log(line));
  });

program
  .command('tour')
  .description('a short tour: tensors, a convolution, a loss and its gradient')
  .action(() => tourCommand((line) => console.log(line)));

try {
  await program.parseAsync();
} catch (e) {
  if (!(e instanceof FoveaError)) throw e;
  console.error(e.message);
  process.exitCode = 2;
}
