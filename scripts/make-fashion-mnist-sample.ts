/**
 * Makes the Fashion-MNIST sample shipped in data/fashion-mnist/: a class-balanced, seeded draw of
 * 1,000 training and 200 test images per class from the full dataset, written as gzipped IDX
 * files with the original names, plus classes.txt and a README.
 *
 *   npx tsx scripts/make-fashion-mnist-sample.ts [SOURCE_DIR] [OUT_DIR]
 *
 * SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian: apt-get install
 * dataset-fashion-mnist), OUT_DIR to data/fashion-mnist. The same source and seed give the same
 * files, byte for byte.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_CLASSES, findMnistFiles, type Split } from '../src/data/mnist.js';
import { loadIdx, saveIdx } from '../src/data/idx.js';
import { Generator } from '../src/tensor/random.js';
import { Tensor } from '../src/tensor/tensor.js';

const SEED = 0;
const PER_CLASS: Record<Split, number> = { train: 1000, test: 200 };
const FILE_PREFIX: Record<Split, string> = { train: 'train', test: 't10k' };

const [source = '/usr/share/datasets/fashion-mnist', out = 'data/fashion-mnist'] =
  process.argv.slice(2);
mkdirSync(out, { recursive: true });
const generator = new Generator(SEED);
const written: string[] = [];
let total = 0;

for (const split of ['train', 'test'] as const) {
  const files = findMnistFiles(source, split);
  if (!files) throw new Error(`${source}: no Fashion-MNIST ${split} files`);
  const images = loadIdx(files.images);
  const labels = loadIdx(files.labels);
  const chosen = balancedSample(labels.data, PER_CLASS[split]);
  const [, h, w] = images.shape;
  const pixels = new Uint8Array(chosen.length * h * w);
  chosen.forEach((i, k) => pixels.set(images.data.subarray(i * h * w, (i + 1) * h * w), k * h * w));
  const names = [
    `${FILE_PREFIX[split]}-images-idx3-ubyte.gz`,
    `${FILE_PREFIX[split]}-labels-idx1-ubyte.gz`,
  ];
  saveIdx(join(out, names[0]), new Tensor(pixels, [chosen.length, h, w], 'uint8'));
  saveIdx(
    join(out, names[1]),
    new Tensor(
      Uint8Array.from(chosen, (i) => labels.data[i]),
      [chosen.length],
      'uint8',
    ),
  );
  for (const name of names) {
    const size = statSync(join(out, name)).size;
    total += size;
    written.push(`\`${name}\`: ${count(size)} bytes`);
  }
}

writeFileSync(join(out, 'classes.txt'), FASHION_MNIST_CLASSES.join('\n') + '\n');
writeFileSync(
  join(out, 'README.md'),
  `# Fashion-MNIST sample

A class-balanced sample of [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist),
the 28×28 greyscale images of Zalando's articles in 10 classes, shipped with fovea so that
\`fovea train\` works out of the box.

- **Source**: the full dataset (60,000 training and 10,000 test images) as packaged by Debian:
  \`dataset-fashion-mnist\` 0.0~git20200523.55506a9-1, Zalando Research's repository at commit
  55506a9, installed in \`/usr/share/datasets/fashion-mnist\`.
- **License**: MIT, Copyright © 2017 Zalando SE, https://tech.zalando.com (see the dataset's
  README; the same terms as fovea's).
- **Sample**: ${count(PER_CLASS.train * 10)} training images (${count(PER_CLASS.train)} per class)
  from the 60,000 of \`train-*\`, and ${count(PER_CLASS.test * 10)} test images
  (${count(PER_CLASS.test)} per class) from the 10,000 of \`t10k-*\`, in their original order.
- **Made by** \`npx tsx scripts/make-fashion-mnist-sample.ts\`: for each class, a seeded
  (seed ${SEED}, fovea's Generator) draw without replacement of that many images; the chosen
  images and labels are written as gzipped IDX files with the original names.
- **Files** (${count(total)} bytes in all):
${written.map((line) => `  - ${line}`).join('\n')}
  - \`classes.txt\`: the class names, one per line, in label order.

Load it with \`fashionMnistSample('train' | 'test')\`, or point any MNIST loader at this folder.
`,
);
console.log(`wrote ${out}:\n${written.join('\n')}\n(${count(total)} bytes in all)`);

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * `perClass` indices of each class, drawn without replacement (a seeded partial Fisher–Yates
 * shuffle of the class's indices), returned in ascending order so the sample keeps the source's
 * order.
 */
function balancedSample(labels: ArrayLike<number>, perClass: number): number[] {
  const chosen: number[] = [];
  FASHION_MNIST_CLASSES.forEach((name, c) => {
    const members = Array.from(labels, (label, i) => (label === c ? i : -1)).filter((i) => i >= 0);
    if (members.length < perClass)
      throw new Error(`class ${c} (${name}) has only ${members.length} images`);
    for (let k = 0; k < perClass; k++) {
      const j = generator.integer(k, members.length);
      [members[k], members[j]] = [members[j], members[k]];
    }
    chosen.push(...members.slice(0, perClass));
  });
  return chosen.sort((a, b) => a - b);
}
