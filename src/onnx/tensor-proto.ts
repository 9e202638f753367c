/**
 * TensorProto ↔ fovea Tensor. fovea holds four dtypes, so ONNX's element types map onto them:
 *
 * | ONNX                                   | fovea   | how                                          |
 * | -------------------------------------- | ------- | -------------------------------------------- |
 * | FLOAT, FLOAT16, BFLOAT16               | float32 | half and bfloat16 widened exactly            |
 * | DOUBLE                                 | float64 |                                              |
 * | UINT8, BOOL                            | uint8   | BOOL as 0/1                                  |
 * | INT8, INT16, UINT16, INT32             | int32   | exact                                        |
 * | INT64, UINT32, UINT64                  | int32   | saturated to [−2³¹, 2³¹−1] (so INT64_MAX, a  |
 * |                                        |         | Slice end meaning "to the end", stays "huge")|
 *
 * STRING and complex tensors are refused. Every size in the file is checked before anything is
 * allocated: dims are non-negative integers, their product fits, and raw_data, the typed fields or
 * the external file hold exactly that many elements.
 */
import type { DType, TypedArray } from '../backend/dtype.js';
import { allocArray } from '../backend/dtype.js';
import { halfToFloat } from '../io/half.js';
import { FoveaError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { readExternalData } from './external-data.js';
import { OnnxDataType, type TensorProto } from './proto.js';

/** How one ONNX element type is stored and which fovea dtype holds it. */
interface ElementType {
  name: string;
  bytes: number;
  dtype: DType;
  /** Reads element i of little-endian raw bytes. */
  read(view: DataView, i: number): number;
  /** The TensorProto field that holds the values when raw_data is absent. */
  field: 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data';
  /** Converts a typed-field value (e.g. FLOAT16 bits in int32_data) to the stored number. */
  fromField?: (v: number) => number;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Clamps an integer into int32's range (INT64 sentinels such as INT64_MAX saturate). */
export function saturateInt32(v: number): number {
  return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : v;
}

const bfloat16ToFloat = (bits: number): number =>
  new Float32Array(new Uint32Array([(bits & 0xffff) << 16]).buffer)[0];

const elementTypes: Partial<Record<number, ElementType>> = {
  [OnnxDataType.FLOAT]: {
    name: 'FLOAT',
    bytes: 4,
    dtype: 'float32',
    read: (v, i) => v.getFloat32(i * 4, true),
    field: 'float_data',
  },
  [OnnxDataType.DOUBLE]: {
    name: 'DOUBLE',
    bytes: 8,
    dtype: 'float64',
    read: (v, i) => v.getFloat64(i * 8, true),
    field: 'double_data',
  },
  [OnnxDataType.FLOAT16]: {
    name: 'FLOAT16',
    bytes: 2,
    dtype: 'float32',
    read: (v, i) => halfToFloat(v.getUint16(i * 2, true)),
    field: 'int32_data',
    fromField: halfToFloat,
  },
  [OnnxDataType.BFLOAT16]: {
    name: 'BFLOAT16',
    bytes: 2,
    dtype: 'float32',
    read: (v, i) => bfloat16ToFloat(v.getUint16(i * 2, true)),
    field: 'int32_data',
    fromField: bfloat16ToFloat,
  },
  [OnnxDataType.UINT8]: {
    name: 'UINT8',
    bytes: 1,
    dtype: 'uint8',
    read: (v, i) => v.getUint8(i),
    field: 'int32_data',
  },
  [OnnxDataType.BOOL]: {
    name: 'BOOL',
    bytes: 1,
    dtype: 'uint8',
    read: (v, i) => (v.getUint8(i) ? 1 : 0),
    field: 'int32_data',
    fromField: (v) => (v ? 1 : 0),
  },
  [OnnxDataType.INT8]: {
    name: 'INT8',
    bytes: 1,
    dtype: 'int32',
    read: (v, i) => v.getInt8(i),
    field: 'int32_data',
  },
  [OnnxDataType.INT16]: {
    name: 'INT16',
    bytes: 2,
    dtype: 'int32',
    read: (v, i) => v.getInt16(i * 2, true),
    field: 'int32_data',
  },
  [OnnxDataType.UINT16]: {
    name: 'UINT16',
    bytes: 2,
    dtype: 'int32',
    read: (v, i) => v.getUint16(i * 2, true),
    field: 'int32_data',
  },
  [OnnxDataType.INT32]: {
    name: 'INT32',
    bytes: 4,
    dtype: 'int32',
    read: (v, i) => v.getInt32(i * 4, true),
    field: 'int32_data',
  },
  [OnnxDataType.INT64]: {
    name: 'INT64',
    bytes: 8,
    dtype: 'int32',
    read: (v, i) => saturateInt32(Number(v.getBigInt64(i * 8, true))),
    field: 'int64_data',
    fromField: saturateInt32,
  },
  [OnnxDataType.UINT32]: {
    name: 'UINT32',
    bytes: 4,
    dtype: 'int32',
    read: (v, i) => saturateInt32(v.getUint32(i * 4, true)),
    field: 'uint64_data',
    fromField: saturateInt32,
  },
  [OnnxDataType.UINT64]: {
    name: 'UINT64',
    bytes: 8,
    dtype: 'int32',
    read: (v, i) => saturateInt32(Number(v.getBigUint64(i * 8, true))),
    field: 'uint64_data',
    fromField: saturateInt32,
  },
};

/** The fovea dtype that holds ONNX element type `dataType` (see the table above). */
export function dtypeForOnnx(dataType: number, where: string): DType {
  return elementType(dataType, where).dtype;
}

function elementType(dataType: number, where: string): ElementType {
  const type = elementTypes[dataType];
  if (!type) {
    const name = Object.entries(OnnxDataType).find(([, v]) => v === dataType)?.[0] ?? dataType;
    throw new FoveaError(
      'onnx',
      `${where}: element type ${name} is not supported (fovea reads numeric and bool tensors)`,
    );
  }
  return type;
}

/** Largest element count fovea allocates for one tensor. */
const MAX_ELEMENTS = 2 ** 31 - 1;

/** Checks dims and returns the element count, refusing negative, fractional or overflowing dims. */
export function checkedElementCount(dims: readonly number[], where: string): number {
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new FoveaError('onnx', `${where}: dims must be non-negative integers, got [${dims}]`);
    }
    count *= d;
    if (count > MAX_ELEMENTS) {
      throw new FoveaError(
        'onnx',
        `${where}: dims [${dims}] hold more than ${MAX_ELEMENTS} elements`,
      );
    }
  }
  return count;
}

/** Where a TensorProto comes from: the file (for messages) and the model's folder (external data). */
export interface TensorSource {
  /** The file named in errors. */
  file: string;
  /** The folder external data is read from; external data is refused without one. */
  modelDir?: string;
}

/**
 * Converts a TensorProto to a fovea Tensor (dtype per the table above), from raw_data, the typed
 * fields, or an external file next to the model.
 *
 * @example
 * const t = tensorFromProto(decodeTensorProto(readFileSync('input_0.pb')), { file: 'input_0.pb' });
 */
export function tensorFromProto(proto: TensorProto, source: TensorSource): Tensor {
  const where = `${source.file}: tensor '${proto.name ?? ''}'`;
  const type = elementType(proto.data_type ?? 0, where);
  const dims = proto.dims ?? [];
  const count = checkedElementCount(dims, where);
  const raw =
    proto.data_location === 1
      ? readExternalData(proto, count * type.bytes, source, where)
      : proto.raw_data;
  const data =
    raw && raw.length > 0 ? fromRaw(raw, type, count, where) : fromField(proto, type, count, where);
  return new Tensor(data, dims, type.dtype);
}

function fromRaw(raw: Uint8Array, type: ElementType, count: number, where: string): TypedArray {
  if (raw.length !== count * type.bytes) {
    throw new FoveaError(
      'onnx',
      `${where}: raw_data has ${raw.length} bytes but ${count} ${type.name} elements need ${count * type.bytes}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = allocArray(type.dtype, count);
  for (let i = 0; i < count; i++) out[i] = type.read(view, i);
  return out;
}

function fromField(
  proto: TensorProto,
  type: ElementType,
  count: number,
  where: string,
): TypedArray {
  const values = proto[type.field] ?? [];
  if (values.length !== count) {
    throw new FoveaError(
      'onnx',
      `${where}: ${type.field} has ${values.length} values but dims need ${count}`,
    );
  }
  const out = allocArray(type.dtype, count);
  const convert = type.fromField;
  for (let i = 0; i < count; i++) out[i] = convert ? convert(values[i]) : values[i];
  return out;
}

const protoTypeOf: Record<DType, number> = {
  float32: OnnxDataType.FLOAT,
  float64: OnnxDataType.DOUBLE,
  int32: OnnxDataType.INT32,
  uint8: OnnxDataType.UINT8,
};

/**
 * Converts a fovea Tensor to a TensorProto with its values in raw_data (little-endian), keeping
 * its dtype (float32 → FLOAT, float64 → DOUBLE, int32 → INT32, uint8 → UINT8), or as
 * `dataType` when given (INT64 for shapes and indices, as ONNX operators require).
 */
export function tensorToProto(
  t: Tensor,
  name: string,
  dataType = protoTypeOf[t.dtype],
): TensorProto {
  const count = t.size;
  let raw: Uint8Array;
  if (dataType === OnnxDataType.INT64) {
    const out = new BigInt64Array(count);
    for (let i = 0; i < count; i++) out[i] = BigInt(Math.trunc(t.data[i]));
    raw = new Uint8Array(out.buffer);
  } else if (dataType === OnnxDataType.BOOL) {
    raw = Uint8Array.from(t.data, (v) => (v ? 1 : 0));
  } else if (dataType === protoTypeOf[t.dtype]) {
    raw = new Uint8Array(
      t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength),
    );
  } else {
    throw new FoveaError(
      'onnx',
      `tensor '${name}': cannot write a ${t.dtype} tensor as ONNX element type ${dataType}`,
    );
  }
  return { name, dims: [...t.shape], data_type: dataType, raw_data: raw };
}
