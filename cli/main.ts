import { Command } from 'commander';
import { FoveaError } from '../src/tensor/errors.js';
import { doctorCommand, type DoctorCommandOptions } from './doctor.js';
import { fixturesCommand } from './fixtures.js';
import { exportCommand, type ExportCommandOptions } from './export.js';
import { runCommand, type RunCommandOptions } from './run.js';
import { onnxTestCommand } from './onnx-test.js';
import { quantizeCommand, type QuantizeCommandOptions } from './quantize.js';
import { evalCommand, predictCommand, summaryCommand } from './inspect.js';
import { explainCommand, type ExplainCommandOptions } from './explain.js';
import { attackCommand, type AttackCommandOptions } from './attack.js';
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

program
  .command('onnx-test')
  .description(
    'run ONNX backend test folders (model.onnx + test_data_set_*/input_N.pb, output_N.pb)',
  )
  .argument('<dirs...>', 'folders searched recursively for ONNX backend tests')
  .action((dirs: string[]) => {
    process.exitCode = onnxTestCommand(dirs, (line) => console.log(line));
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
    'width multiplier of fashion_cnn, small_vgg or mobilenet_v2 (fashion_cnn: 0.25 on the shipped sample, quick on a CPU; 1 with --data)',
    parseFloat,
  )
  .option('--epochs <n>', 'training epochs (3 on the shipped sample, 5 with --data)', int)
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
  .command('explain')
  .description(
    'where a trained model looks: Grad-CAM(++), saliency, SmoothGrad, occlusion heat maps, feature maps, filters',
  )
  .argument('<model>', 'a run folder or its model/ folder')
  .argument('[images...]', 'PNG, JPEG or WebP files')
  .option(
    '--method <name>',
    'gradcam, gradcampp, saliency, smoothgrad, occlusion, features (maps of --layer) or filters (first conv)',
    'gradcam',
  )
  .option(
    '--layer <name>',
    'layer for gradcam(pp) and features, e.g. features.6 (default: the last feature map)',
  )
  .option('--target <class>', 'class index to explain (default: the predicted class)', int)
  .option('--scale <n>', 'enlarge the PNGs n times (default: heat maps to about 224 pixels)', int)
  .option('--out <dir>', 'folder for the PNGs', 'explain')
  .action((model: string, images: string[], options: ExplainCommandOptions) =>
    explainCommand(model, images, options, print),
  );

program
  .command('doctor')
  .description('check a model (and its data) for the known ways CNNs go wrong')
  .argument('<model>', 'a zoo name or a saved model folder')
  .option('--data <dir>', 'dataset folder, prepared as fovea eval does (enables the data checks)')
  .option('--input <shape>', 'one input without the batch dim, e.g. 1,28,28')
  .option('--task <task>', 'classification, segmentation or pose', 'classification')
  .option('--object-size <pixels>', 'size of the objects to recognise', parseFloat)
  .action(async (model: string, options: DoctorCommandOptions) => {
    process.exitCode = (await doctorCommand(model, options, print)) > 0 ? 1 : 0;
  });

program
  .command('attack')
  .description('clean vs adversarial accuracy of a trained model under FGSM or PGD')
  .argument('<model>', 'a run folder or its model/ folder')
  .option('--data <dir>', 'dataset folder (default: the shipped Fashion-MNIST test sample)')
  .option(
    '--eps <e>',
    'perturbation budget in pixel units, pixels scaled to [0, 1]',
    parseFloat,
    0.1,
  )
  .option('--method <name>', 'fgsm or pgd', 'pgd')
  .option('--norm <norm>', 'linf or l2', 'linf')
  .option('--steps <n>', 'pgd steps', int, 10)
  .option('--step-size <s>', 'pgd step size (default 2.5 · eps / steps)', parseFloat)
  .option('--limit <n>', 'attack only the first n test images', int, 1000)
  .option('--seed <n>', 'random start seed', int, 0)
  .action((model: string, options: AttackCommandOptions) => attackCommand(model, options, print));

program
  .command('summary')
  .description('layer table: output shapes, parameters, multiply-adds, receptive fields')
  .argument('<model>', 'a zoo name or a saved model folder')
  .option('--input <shape>', 'one input without the batch dim, e.g. 3,32,32')
  .action((model: string, options: { input?: string }) => summaryCommand(model, options, print));

program
  .command('export')
  .description('export a model to ONNX (opset 17 by default; dynamic batch dim)')
  .argument('<model>', 'a zoo name or a saved model folder')
  .requiredOption('--onnx <file>', 'the .onnx file to write')
  .option('--input <shape>', 'one input without the batch dim, e.g. 3,32,32')
  .option('--opset <n>', 'ONNX operator set version, 13 to 21', int)
  .action((model: string, options: ExportCommandOptions) => exportCommand(model, options, print));

program
  .command('run')
  .description('run an ONNX model on .npy inputs; writes each output as DIR/NAME.npy')
  .argument('<model>', 'an .onnx file')
  .option('--input <name=file...>', 'one NAME=FILE.npy per graph input')
  .option('--out <dir>', 'folder for the outputs', '.')
  .action((model: string, options: RunCommandOptions) => runCommand(model, options, print));

program
  .command('quantize')
  .description(
    'int8 post-training quantization: accuracy, size and speed against fp32, and the int8 model',
  )
  .argument('<model>', 'a run folder or its model/ folder')
  .option(
    '--calib <dir>',
    'dataset folder whose train split calibrates (default: the shipped sample)',
  )
  .option('--calib-size <n>', 'calibration images', int, 512)
  .option('--calibration <method>', 'minmax or percentile', 'minmax')
  .option('--data <dir>', 'dataset folder whose test split is scored (default: the shipped sample)')
  .option('--out <dir>', 'where to save the int8 model (default: MODEL/model-int8)')
  .action((model: string, options: QuantizeCommandOptions) =>
    quantizeCommand(model, options, print),
  );

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
