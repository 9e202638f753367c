/**
 * Receptive fields: which input pixels one unit of a feature map can see. Per spatial dim a
 * field is three numbers, propagated layer by layer with the standard recurrences (Dumoulin &
 * Visin's arithmetic; Araujo et al., "Computing receptive fields of CNNs", Distill 2019):
 *
 *   size  r_out = r_in + (k − 1)·d·j_in        how many input pixels one unit sees
 *   jump  j_out = j_in·s                       input pixels between neighbouring units
 *   start c_out = c_in + ((k − 1)/2·d − p)·j_in  center of the first unit's field
 *
 * Coordinates are input pixel indices: pixel i's center is i, so a 3×3 conv with padding 1 keeps
 * start 0 and one without padding moves it to 1. Padding counts towards the size (the field may
 * reach outside the image), as is usual.
 */

/** The receptive field of a feature map's units, per spatial dim (outermost first, e.g. H, W). */
export interface ReceptiveField {
  /** r: the extent, in input pixels, of the region one unit sees. */
  size: number[];
  /** j: the distance, in input pixels, between neighbouring units (the effective stride). */
  jump: number[];
  /** The input coordinate of the center of the first unit's field (pixel i's center is i). */
  start: number[];
}

/** A window sliding over each spatial dim, as a convolution or a pooling layer uses it. */
export interface FieldWindow {
  kernel: readonly number[];
  stride: readonly number[];
  dilation: readonly number[];
  /** Padding before the first input element, per dim. */
  padding: readonly number[];
}

/**
 * The field of the input itself: each pixel sees itself.
 *
 * @example inputField(2) // { size: [1, 1], jump: [1, 1], start: [0, 0] }
 */
export function inputField(ndim: number): ReceptiveField {
  return {
    size: new Array<number>(ndim).fill(1),
    jump: new Array<number>(ndim).fill(1),
    start: new Array<number>(ndim).fill(0),
  };
}

/**
 * The field after a convolution or pooling window.
 *
 * @example
 * const conv3 = { kernel: [3], stride: [1], dilation: [1], padding: [1] };
 * throughWindow(throughWindow(inputField(1), conv3), conv3).size; // [5]
 */
export function throughWindow(f: ReceptiveField, w: FieldWindow): ReceptiveField {
  return {
    size: f.size.map((r, i) => r + (w.kernel[i] - 1) * w.dilation[i] * f.jump[i]),
    jump: f.jump.map((j, i) => j * w.stride[i]),
    start: f.start.map(
      (c, i) => c + (((w.kernel[i] - 1) / 2) * w.dilation[i] - w.padding[i]) * f.jump[i],
    ),
  };
}

/**
 * The field after a transposed convolution, read as what it computes: a stride-1 convolution
 * (kernel k, dilation d, padding d·(k − 1) − p) over the input with s − 1 zeros inserted between
 * neighbouring units, whose spacing is therefore j/s. So j_out = j_in/s, r_out = r_in +
 * (k − 1)·d·j_in/s and c_out = c_in + (p − (k − 1)·d/2)·j_in/s. The size is the field's envelope:
 * the inserted zeros see nothing, so a unit really sees about ⌈(k − 1)·d/s⌉ + 1 input units.
 *
 * @example
 * // ConvTranspose2d(k=2, s=2) doubles H and W: each output unit sees one input unit
 * throughTransposedWindow(inputField(1), { kernel: [2], stride: [2], dilation: [1], padding: [0] })
 * // { size: [1.5], jump: [0.5], start: [-0.25] }
 */
export function throughTransposedWindow(f: ReceptiveField, w: FieldWindow): ReceptiveField {
  const spacing = f.jump.map((j, i) => j / w.stride[i]);
  return {
    size: f.size.map((r, i) => r + (w.kernel[i] - 1) * w.dilation[i] * spacing[i]),
    jump: spacing,
    start: f.start.map(
      (c, i) => c + (w.padding[i] - ((w.kernel[i] - 1) / 2) * w.dilation[i]) * spacing[i],
    ),
  };
}

/**
 * The window an adaptive pooling from `inSize` to `outSize` is treated as: kernel ⌈in/out⌉, the
 * largest window it uses, and stride ⌊in/out⌋ (in/out when it enlarges, as upsampling), no
 * padding. Exact when out divides in; otherwise the true windows vary by a pixel.
 *
 * @example adaptiveWindow([7, 7], [1, 1]) // global pooling: kernel [7, 7], stride [7, 7]
 */
export function adaptiveWindow(inSize: readonly number[], outSize: readonly number[]): FieldWindow {
  return {
    kernel: inSize.map((n, i) => Math.ceil(n / outSize[i])),
    stride: inSize.map((n, i) => (n >= outSize[i] ? Math.floor(n / outSize[i]) : n / outSize[i])),
    dilation: inSize.map(() => 1),
    padding: inSize.map(() => 0),
  };
}

/**
 * The field of a layer that only resizes (upsampling, pixel shuffle): each unit sees what the
 * nearest input unit sees, and units are `outSize/inSize` times denser. Used for layers with no
 * window; a resize that samples several inputs (bilinear) is slightly larger in truth.
 *
 * @example throughResize(inputField(1), [4], [8]).jump // [0.5]
 */
export function throughResize(
  f: ReceptiveField,
  inSize: readonly number[],
  outSize: readonly number[],
): ReceptiveField {
  return {
    size: [...f.size],
    jump: f.jump.map((j, i) => (j * inSize[i]) / outSize[i]),
    start: [...f.start],
  };
}

/**
 * The larger of two fields, where paths merge (a residual sum, a concatenation): the unit sees the
 * union of what each path sees, dominated by the path with the larger field.
 *
 * @example maxField(a, b) // a when a.size covers more pixels than b.size
 */
export function maxField(a: ReceptiveField, b: ReceptiveField): ReceptiveField {
  const area = (f: ReceptiveField) => f.size.reduce((p, r) => p * r, 1);
  return area(b) > area(a) ? b : a;
}
