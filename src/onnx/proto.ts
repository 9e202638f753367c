/**
 * The ONNX file format: its protobuf messages, decoded and encoded with protobufjs.
 *
 * The schema below is the part of onnx.proto (IR version 8) that CNN graphs use, written from the
 * ONNX specification; field numbers are the format's, so any ONNX file decodes with it and fields
 * it leaves out (training info, sparse initializers' less common parts) are skipped by protobufjs.
 * Field names keep ONNX's snake_case so they read as in the specification.
 *
 * Decoded messages are plain objects (`toObject` with 64-bit integers as JS numbers and bytes as
 * Uint8Array views of the file), typed by the interfaces below.
 */
import protobuf from 'protobufjs';
import { htmlHint } from '../io/sniff.js';
import { FoveaError, LoadError } from '../tensor/errors.js';

const SCHEMA = `
syntax = "proto3";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7;
    STRINGS = 8; TENSORS = 9; GRAPHS = 10; SPARSE_TENSOR = 11; SPARSE_TENSORS = 12;
    TYPE_PROTO = 13; TYPE_PROTOS = 14;
  }
  string name = 1;
  string ref_attr_name = 21;
  string doc_string = 13;
  AttributeType type = 20;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  GraphProto g = 6;
  SparseTensorProto sparse_tensor = 22;
  TypeProto tp = 14;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
  repeated SparseTensorProto sparse_tensors = 23;
  repeated TypeProto type_protos = 15;
}

message ValueInfoProto {
  string name = 1;
  TypeProto type = 2;
  string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  string domain = 7;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
}

message StringStringEntryProto {
  string key = 1;
  string value = 2;
}

message OperatorSetIdProto {
  string domain = 1;
  int64 version = 2;
}

message FunctionProto {
  string name = 1;
  repeated string input = 4;
  repeated string output = 5;
  repeated string attribute = 6;
  repeated NodeProto node = 7;
  string doc_string = 8;
  repeated OperatorSetIdProto opset_import = 9;
  string domain = 10;
}

message ModelProto {
  int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
  repeated FunctionProto functions = 25;
}

message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated SparseTensorProto sparse_initializer = 15;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7;
    STRING = 8; BOOL = 9; FLOAT16 = 10; DOUBLE = 11; UINT32 = 12; UINT64 = 13; COMPLEX64 = 14;
    COMPLEX128 = 15; BFLOAT16 = 16;
  }
  message Segment {
    int64 begin = 1;
    int64 end = 2;
  }
  enum DataLocation {
    DEFAULT = 0;
    EXTERNAL = 1;
  }
  repeated int64 dims = 1;
  int32 data_type = 2;
  Segment segment = 3;
  repeated float float_data = 4;
  repeated int32 int32_data = 5;
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7;
  string name = 8;
  string doc_string = 12;
  bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  DataLocation data_location = 14;
  repeated double double_data = 10;
  repeated uint64 uint64_data = 11;
}

message SparseTensorProto {
  TensorProto values = 1;
  TensorProto indices = 2;
  repeated int64 dims = 3;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    int32 elem_type = 1;
    TensorShapeProto shape = 2;
  }
  message Sequence {
    TypeProto elem_type = 1;
  }
  message Map {
    int32 key_type = 1;
    TypeProto value_type = 2;
  }
  message Optional {
    TypeProto elem_type = 1;
  }
  oneof value {
    Tensor tensor_type = 1;
    Sequence sequence_type = 4;
    Map map_type = 5;
    Optional optional_type = 9;
    Tensor sparse_tensor_type = 8;
  }
  string denotation = 6;
}
`;

/** ONNX's element types (TensorProto.DataType), by number. */
export const OnnxDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** ONNX's attribute types (AttributeProto.AttributeType), by number. */
export const OnnxAttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

/** A TensorProto: dims, element type, and its values in one of the typed fields or `raw_data`. */
export interface TensorProto {
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: number[];
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  external_data?: StringStringEntryProto[];
  /** 1 when the values live in a file next to the model (`external_data` says where). */
  data_location?: number;
  double_data?: number[];
  uint64_data?: number[];
}

/** A key/value string pair. */
export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

/** A node attribute; `type` says which value field is set. */
export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
}

/** One operator application: named inputs and outputs (an empty name is an omitted optional). */
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
}

/** One dimension of a declared shape: a number or a symbolic name such as `batch`. */
export interface DimensionProto {
  dim_value?: number;
  dim_param?: string;
}

/** The declared type of a graph input or output (only tensor types are used here). */
export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: DimensionProto[] } };
  sequence_type?: { elem_type?: TypeProto };
  optional_type?: { elem_type?: TypeProto };
}

/** A graph input, output or intermediate value with its declared type. */
export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
}

/** A computation graph: nodes in topological order, weights, inputs and outputs. */
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

/** Which version of an operator set a model uses (`domain` '' or 'ai.onnx' is the default set). */
export interface OperatorSetIdProto {
  domain?: string;
  version?: number;
}

/** A whole .onnx file. */
export interface ModelProto {
  ir_version?: number;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: StringStringEntryProto[];
}

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const types = {
  model: root.lookupType('onnx.ModelProto'),
  tensor: root.lookupType('onnx.TensorProto'),
};
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, arrays: false, defaults: false };

function decode<T>(type: protobuf.Type, what: string, bytes: Uint8Array, file: string): T {
  try {
    return type.toObject(type.decode(bytes), TO_OBJECT) as T;
  } catch (e) {
    // protobufjs names the byte offset: "index out of range: 12 + 10 > 20", "... at offset 1".
    const reason = e instanceof Error ? e.message : String(e);
    throw new LoadError(
      'onnx',
      file,
      `not a valid ONNX ${what} (${bytes.length} bytes): ${reason}${htmlHint(bytes)}`,
    );
  }
}

/** Decodes the bytes of a .onnx file; `file` names it in errors. */
export function decodeModel(bytes: Uint8Array, file = 'model.onnx'): ModelProto {
  const model = decode<ModelProto>(types.model, 'model', bytes, file);
  if (!model.graph)
    throw new LoadError('onnx', file, `has no graph (is it an ONNX model file?)${htmlHint(bytes)}`);
  return model;
}

/** Decodes a serialized TensorProto (the `input_0.pb` files of ONNX's test data). */
export function decodeTensorProto(bytes: Uint8Array, file = 'tensor.pb'): TensorProto {
  return decode<TensorProto>(types.tensor, 'tensor', bytes, file);
}

function encode(type: protobuf.Type, message: object): Uint8Array {
  const problem = type.verify(message);
  if (problem) throw new FoveaError('onnx', `cannot encode ${type.name}: ${problem}`);
  return type.encode(type.fromObject(message)).finish();
}

/** Encodes a model to the bytes of a .onnx file. */
export function encodeModel(model: ModelProto): Uint8Array {
  return encode(types.model, model);
}

/** Encodes one TensorProto (as ONNX's test-data `.pb` files hold them). */
export function encodeTensorProto(tensor: TensorProto): Uint8Array {
  return encode(types.tensor, tensor);
}
