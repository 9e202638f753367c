/**
 * Folders of images with one subfolder per class (`dogs/001.jpg`, `cats/a.png`), as torchvision's
 * `ImageFolder`. Images are decoded and resized once, at load time, with sharp (libvips), on
 * libuv's thread pool, and kept in memory as uint8.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { LoadError, check, fmt } from '../tensor/errors.js';
import { getBackend } from '../tensor/backend-registry.js';
import { Tensor } from '../tensor/tensor.js';
import type { SampleTransform } from './dataset.js';
import { describeDir, isDir, listDir } from './files.js';
import { MAX_DATA_BYTES } from './limits.js';
import { TensorDataset } from './tensor-dataset.js';

/**
 * The file extensions read (case-insensitive); other files are ignored.
 *
 * @example
 * IMAGE_EXTENSIONS.includes('.webp'); // true
 */
export const IMAGE_EXTENSIONS: readonly string[] = Object.freeze([
  '.png',
  '.jpg',
  '.jpeg',
  '.webp',
]);

/** Images decoded at once; sharp runs each on libuv's pool, so more gain nothing. */
const IN_FLIGHT = 8;
const OP = 'loadImageFolder';

/** Options of `loadImageFolder`. */
export interface ImageFolderOptions {
  /** [height, width] every image is resized to (stretched, as torchvision's `Resize((h, w))`). */
  size: readonly [number, number];
  /**
   * 1: greyscale, 3: RGB (default). Grey images are repeated over RGB; colour images become grey
   * as PIL's `convert('L')` makes them (0.299 R + 0.587 G + 0.114 B). Alpha is dropped, keeping
   * the colour of partly transparent pixels; fully transparent ones come out black, since sharp
   * resizes with premultiplied alpha.
   */
  channels?: 1 | 3;
  /** Applied to each sample in `get`. */
  transform?: SampleTransform;
  /**
   * Largest image accepted, in pixels (width × height as the file's header states, checked
   * before decoding, so decompression bombs are refused). Default 2^26 (about 67 megapixels).
   */
  maxPixels?: number;
}

/** The classes of an image folder and its image files, in loading order. */
export interface ImageFolderListing {
  /** Subfolder names, sorted: class id = position. */
  classes: string[];
  /** Each image's path and class id, class by class, files sorted by path. */
  files: { path: string; label: number }[];
}

/**
 * Lists an image folder without decoding anything: the classes are its subfolders sorted by name
 * (hidden ones, starting with '.', skipped) and each class's images are the files with an image
 * extension anywhere below its subfolder, as torchvision's `ImageFolder` finds them.
 *
 * @example
 * listImageFolder('photos'); // { classes: ['cats', 'dogs'], files: [{ path: 'photos/cats/a.png', label: 0 }, ...] }
 */
export function listImageFolder(dir: string): ImageFolderListing {
  const classes = listDir(dir).filter((name) => !name.startsWith('.') && isDir(join(dir, name)));
  const files = classes.flatMap((name, label) =>
    imagesBelow(join(dir, name)).map((path) => ({ path, label })),
  );
  return { classes, files };
}

/**
 * Loads a folder with one subfolder per class as a dataset of uint8 images [channels, h, w] and
 * int32 class ids (see `listImageFolder` for the order). PNG, JPEG and WebP files are decoded,
 * turned upright from their EXIF orientation, resized to `size`, converted to sRGB and, for
 * `channels: 1`, to grey with PIL's weights.
 * Every image is held in memory: N × channels × h × w bytes.
 *
 * @example
 * const data = await loadImageFolder('photos', { size: [64, 64] });
 * data.classes; // ['cats', 'dogs']
 * data.get(0).input.shape; // [3, 64, 64], uint8
 */
export async function loadImageFolder(
  dir: string,
  options: ImageFolderOptions,
): Promise<TensorDataset> {
  const { size, channels = 3, maxPixels = 2 ** 26 } = options;
  const [h, w] = size ?? [];
  check(
    [h, w].every((d) => Number.isInteger(d) && d > 0 && d <= 65536),
    OP,
    () => `size must be [height, width] of positive integers, got ${JSON.stringify(size)}`,
  );
  check(channels === 1 || channels === 3, OP, () => `channels must be 1 or 3, got ${channels}`);
  const { classes, files } = listImageFolder(dir);
  check(
    classes.length > 0,
    OP,
    () => `${dir}: expected one subfolder of images per class, but ${describeDir(dir)}`,
  );
  const used = new Set(files.map((f) => f.label));
  const empty = classes.filter((_, label) => !used.has(label));
  check(
    empty.length === 0,
    OP,
    () =>
      `${dir}: no ${IMAGE_EXTENSIONS.join('/')} files in the class folder(s) ${empty.join(', ')}`,
  );
  const imageBytes = channels * h * w;
  check(
    files.length * imageBytes <= MAX_DATA_BYTES,
    OP,
    () =>
      `${dir}: ${files.length} images of ${fmt([channels, h, w])} need ` +
      `${files.length * imageBytes} bytes, more than the ${MAX_DATA_BYTES} allowed`,
  );

  const images = getBackend().alloc('uint8', files.length * imageBytes) as Uint8Array;
  const labels = getBackend().alloc('int32', files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const k = next++;
      const rgb = await decode(files[k].path, h, w, maxPixels).catch((e: unknown) => {
        next = files.length; // stop the other workers: the load has failed
        throw e;
      });
      toPlanar(rgb, channels, images.subarray(k * imageBytes, (k + 1) * imageBytes));
      labels[k] = files[k].label;
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, files.length) }, worker));
  return new TensorDataset(
    new Tensor(images, [files.length, channels, h, w], 'uint8'),
    new Tensor(labels, [files.length], 'int32'),
    { classes, transform: options.transform },
  );
}

/** The image files below `dir`, at any depth, skipping hidden entries; sorted by path. */
function imagesBelow(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  return entries
    .filter((rel) => {
      const lower = rel.toLowerCase();
      const hidden = rel.split(/[\\/]/).some((part) => part.startsWith('.'));
      return !hidden && IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
    })
    .sort()
    .map((rel) => join(dir, rel));
}

/** Decodes one image to h × w sRGB pixels, interleaved (r, g, b, r, g, b, ...). */
async function decode(path: string, h: number, w: number, maxPixels: number): Promise<Uint8Array> {
  try {
    const image = sharp(path, { limitInputPixels: maxPixels })
      .autoOrient()
      .resize(w, h, { fit: 'fill' })
      .toColourspace('srgb')
      .removeAlpha();
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== h * w * 3) {
      throw new Error(
        `decoded to ${info.width}×${info.height}×${info.channels}, expected ${w}×${h}×3`,
      );
    }
    return data;
  } catch (e) {
    throw new LoadError(OP, path, `cannot read the image (${(e as Error).message})`);
  }
}

/**
 * Copies interleaved RGB pixels into planar `out`: [3, h, w], or [1, h, w] of luma as PIL's
 * `convert('L')` computes it (ITU-R 601: 0.299 R + 0.587 G + 0.114 B, in 16-bit fixed point,
 * rounded), so greyscale matches torchvision's loaders and grey images stay exact.
 */
function toPlanar(rgb: Uint8Array, channels: 1 | 3, out: Uint8Array): void {
  const plane = rgb.length / 3;
  if (channels === 1) {
    for (let p = 0; p < plane; p++) {
      const [r, g, b] = [rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]];
      out[p] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }
    return;
  }
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < plane; p++) out[c * plane + p] = rgb[3 * p + c];
  }
}

/**
 * Decodes one PNG/JPEG/WebP image into a uint8 tensor [channels, h, w], resized (stretched) to
 * `size` exactly as loadImageFolder does, e.g. to feed `fovea predict`.
 *
 * @example const x = await loadImage('shoe.png', { size: [28, 28], channels: 1 }); // [1, 28, 28]
 */
export async function loadImage(
  path: string,
  {
    size,
    channels = 3,
    maxPixels = 2 ** 26,
  }: { size: readonly [number, number]; channels?: 1 | 3; maxPixels?: number },
): Promise<Tensor> {
  const [h, w] = size;
  const pixels = new Uint8Array(channels * h * w);
  toPlanar(await decode(path, h, w, maxPixels), channels, pixels);
  return new Tensor(pixels, [channels, h, w], 'uint8');
}
