import { Command } from 'commander';
import { FoveaError } from '../src/tensor/errors.js';
import { fixturesCommand } from './fixtures.js';
import { evalCommand, predictCommand, summaryCommand } from './inspect.js';
import { tourCommand } from './tour.js';
import { trainCommand, type TrainCommandOptions } from './train.js';

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

const print = (line: string) => console.log(line);
const int = (v: string) => parseInt(v, 10);

program
  .command('train')
  .description(
    'train a CNN (default: fashion_cnn on the shipped Fashion-MNIST sample) and evaluate it',
  )
  .option(
    '--data <dir>',
    'dataset folder: IDX (MNIST family), CIFAR binary, or images in class folders',
  )
  .option(
    '--model <name>',
    'zoo model: lenet5, fashion_cnn, small_vgg, resnet18, resnet34, mobilenet_v2',
    'fashion_cnn',
  )
  .option(
    '--width <multiplier>',
    'width multiplier of fashion_cnn, small_vgg or mobilenet_v2 (fashion_cnn: 0.25 unless given, quick on a CPU)',
    parseFloat,
  )
  .option('--epochs <n>', 'training epochs', int, 3)
  .option('--batch-size <n>', 'batch size', int, 64)
  .option('--lr <rate>', 'peak learning rate of the one-cycle schedule', parseFloat, 3e-3)
  .option('--optimizer <name>', 'adam, adamw or sgd', 'adamw')
  .option('--augment', 'random crops (padding 2) and horizontal flips', false)
  .option('--seed <n>', 'random seed', int, 0)
  .option('--out <dir>', 'run folder', `runs/${new Date().toISOString().replace(/[:.]/g, '-')}`)
  .option('--resume <dir>', 'continue the run in this folder from its last checkpoint')
  .option('--limit <n>', 'use only the first n training and test images (a quick check)', int)
  .action((options: TrainCommandOptions) => trainCommand(options, print));

program
  .command('eval')
  .description('evaluate a trained model on a test split')
  .argument('<model>', 'a run folder or its model/ folder')
  .option('--data <dir>', 'dataset folder (default: the shipped Fashion-MNIST test sample)')
  .action((model: string, options: { data?: string }) => evalCommand(model, options, print));

program
  .command('predict')
  .description('classify images with a trained model (top-k classes)')
  .argument('<model>', 'a run folder or its model/ folder')
  .argument('<images...>', 'PNG, JPEG or WebP files')
  .option('--top-k <k>', 'how many classes to show', int, 3)
  .action((model: string, images: string[], options: { topK: number }) =>
    predictCommand(model, images, options, print),
  );

program
  .command('summary')
  .description('layer table: output shapes, parameters, multiply-adds, receptive fields')
  .argument('<model>', 'a zoo name or a saved model folder')
  .option('--input <shape>', 'one input without the batch dim, e.g. 3,32,32')
  .action((model: string, options: { input?: string }) => summaryCommand(model, options, print));

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
