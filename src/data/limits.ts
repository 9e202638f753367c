/**
 * The largest file (or decompressed stream) a reader accepts: 2 GiB. The largest real datasets in
 * these formats are far below it (EMNIST ByClass images: 0.55 GB), and it keeps every byte
 * offset an int32 and every buffer within Node's limits.
 */
export const MAX_DATA_BYTES = 2 ** 31 - 1;
