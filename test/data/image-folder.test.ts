import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { listImageFolder, loadImageFolder } from '../../src/data/image-folder.js';
import { put, rejectsFovea, tempDir } from './util.js';

type Format = 'png' | 'jpeg' | 'webp';

/** Writes a w × h image of one colour (`channels` values, alpha included when 4). */
async function solid(
  dir: string,
  name: string,
  w: number,
  h: number,
  colour: number[],
  format: Format,
) {
  const channels = colour.length as 1 | 3 | 4;
  const [r, g = r, b = r, alpha = 1] = colour;
  const background = { r, g, b, alpha };
  const create = {
    width: w,
    height: h,
    channels: channels === 1 ? 3 : channels,
    background,
  } as const;
  let image = sharp({ create });
  if (channels === 1) image = image.toColourspace('b-w');
  const lossless = { png: {}, jpeg: { quality: 100 }, webp: { lossless: true } }[format];
  put(dir, name, await image.toFormat(format, lossless).toBuffer());
}

/** The distinct values of each channel plane of a [C, H, W] image. */
function planes(data: ArrayLike<number>, channels: number): number[][] {
  const plane = data.length / channels;
  return Array.from({ length: channels }, (_, c) => [
    ...new Set(Array.from(data).slice(c * plane, (c + 1) * plane)),
  ]);
}

describe('loadImageFolder', () => {
  it('sorts classes by name, finds images at any depth, skips hidden entries and other files', async () => {
    const dir = tempDir();
    await solid(dir, 'zebra/1.png', 4, 4, [0, 0, 0], 'png');
    await solid(dir, 'Apple/b.jpg', 4, 4, [0, 0, 0], 'jpeg');
    await solid(dir, 'Apple/a.WEBP', 4, 4, [0, 0, 0], 'webp');
    await solid(dir, 'cat/nested/deeper/x.jpeg', 4, 4, [0, 0, 0], 'jpeg');
    await solid(dir, 'cat/.hidden.png', 4, 4, [0, 0, 0], 'png');
    await solid(dir, '.ipynb_checkpoints/y.png', 4, 4, [0, 0, 0], 'png');
    put(dir, 'cat/notes.txt', 'not an image');
    put(dir, 'README.md', 'a file beside the classes');
    const listing = listImageFolder(dir);
    assert.deepEqual(listing.classes, ['Apple', 'cat', 'zebra']); // code-point order, as Python's sorted()
    assert.deepEqual(
      listing.files.map((f) => [f.path.slice(dir.length + 1), f.label]),
      [
        ['Apple/a.WEBP', 0],
        ['Apple/b.jpg', 0],
        [join('cat', 'nested', 'deeper', 'x.jpeg'), 1],
        ['zebra/1.png', 2],
      ],
    );
    const data = await loadImageFolder(dir, { size: [4, 4] });
    assert.equal(data.length, 4);
    assert.deepEqual(Array.from(data.targets.data), [0, 0, 1, 2]);
    assert.deepEqual(data.classes, ['Apple', 'cat', 'zebra']);
  });

  it('resizes to [h, w] and stores RGB planes as uint8 [3, h, w]', async () => {
    const dir = tempDir();
    await solid(dir, 'red/a.png', 10, 4, [255, 0, 0], 'png');
    await solid(dir, 'teal/b.webp', 3, 9, [0, 128, 128], 'webp');
    const data = await loadImageFolder(dir, { size: [5, 7] });
    assert.deepEqual(data.inputs.shape, [2, 3, 5, 7]);
    assert.equal(data.inputs.dtype, 'uint8');
    assert.equal(data.targets.dtype, 'int32');
    assert.deepEqual(planes(data.get(0).input.data, 3), [[255], [0], [0]]);
    assert.deepEqual(planes(data.get(1).input.data, 3), [[0], [128], [128]]);
  });

  it('keeps every pixel in place at the same size: rows, columns and RGB planes', async () => {
    const dir = tempDir();
    // 3 wide, 2 high; pixel (y, x) has red 10y + x, green 100 + that, blue 200 + that.
    const rgb = Uint8Array.from({ length: 18 }, (_, i) => {
      const [p, c] = [Math.floor(i / 3), i % 3];
      return 100 * c + 10 * Math.floor(p / 3) + (p % 3);
    });
    const raw = { raw: { width: 3, height: 2, channels: 3 } } as const;
    put(dir, 'a/x.png', await sharp(Buffer.from(rgb), raw).png().toBuffer());
    const data = await loadImageFolder(dir, { size: [2, 3] });
    assert.deepEqual(data.get(0).input.toArray(), [
      [
        [0, 1, 2],
        [10, 11, 12],
      ],
      [
        [100, 101, 102],
        [110, 111, 112],
      ],
      [
        [200, 201, 202],
        [210, 211, 212],
      ],
    ]);
  });

  it('converts to grey with channels: 1, repeats grey over RGB, and drops alpha', async () => {
    const dir = tempDir();
    await solid(dir, 'a/grey.jpg', 6, 6, [200], 'jpeg');
    await solid(dir, 'b/white.png', 6, 6, [255, 255, 255], 'png');
    await solid(dir, 'c/clear-blue.png', 6, 6, [0, 0, 255, 0.5], 'png'); // half transparent
    const rgb = await loadImageFolder(dir, { size: [3, 3], channels: 3 });
    const grey = planes(rgb.get(0).input.data, 3);
    assert.ok(
      grey.every((p) => p.length === 1 && Math.abs(p[0] - 200) <= 1),
      JSON.stringify(grey),
    );
    assert.deepEqual(planes(rgb.get(2).input.data, 3), [[0], [0], [255]]);
    const mono = await loadImageFolder(dir, { size: [3, 3], channels: 1 });
    assert.deepEqual(mono.inputs.shape, [3, 1, 3, 3]);
    assert.deepEqual(planes(mono.get(1).input.data, 1), [[255]]);
    assert.deepEqual(planes(mono.get(2).input.data, 1), [[29]]); // PIL: round(0.114 × 255)
    assert.ok(Math.abs(planes(mono.get(0).input.data, 1)[0][0] - 200) <= 1);
  });

  it('refuses images over maxPixels before decoding them', async () => {
    const dir = tempDir();
    await solid(dir, 'big/x.png', 100, 80, [1, 2, 3], 'png');
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [8, 8], maxPixels: 7999 }),
      'loadImageFolder',
      /big\/x\.png: cannot read the image \(.*pixel limit/i,
    );
    assert.equal((await loadImageFolder(dir, { size: [8, 8], maxPixels: 8000 })).length, 1);
  });

  it('names a file that is not a decodable image', async () => {
    const dir = tempDir();
    await solid(dir, 'ok/a.png', 4, 4, [1, 2, 3], 'png');
    put(dir, 'bad/page.jpg', '<html>not a picture</html>');
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [4, 4] }),
      'loadImageFolder',
      /bad\/page\.jpg: cannot read the image/,
    );
    const truncated = await sharp({
      create: { width: 64, height: 64, channels: 3, background: 'red' },
    })
      .png()
      .toBuffer();
    put(dir, 'bad/page.jpg', truncated.subarray(0, truncated.length - 30));
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [4, 4] }),
      'loadImageFolder',
      /bad\/page\.jpg: cannot read the image/,
    );
  });

  it('refuses folders without classes, empty classes and bad options', async () => {
    const dir = tempDir();
    put(dir, 'loose.png', 'x');
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [4, 4] }),
      'loadImageFolder',
      /expected one subfolder of images per class, but it holds loose\.png/,
    );
    await solid(dir, 'full/a.png', 4, 4, [1, 2, 3], 'png');
    put(dir, 'empty/readme.txt', '');
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [4, 4] }),
      'loadImageFolder',
      /no \.png\/\.jpg\/\.jpeg\/\.webp files in the class folder\(s\) empty/,
    );
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [0, 4] }),
      'loadImageFolder',
      /size must be \[height, width\] of positive integers, got \[0,4\]/,
    );
    await rejectsFovea(
      () => loadImageFolder(dir, { size: [4, 4], channels: 2 as 1 }),
      'loadImageFolder',
      /channels must be 1 or 3, got 2/,
    );
  });
});
