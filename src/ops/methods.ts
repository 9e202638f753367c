/**
 * The ops as Tensor methods (`x.reshape([2, -1]).relu().sum()`), added to the class here so the
 * tensor layer does not depend on ops. Each method calls the op of the same name.
 */
import type { DType } from '../backend/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, maximum, minimum, mul, pow, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq, ge, gt, le, lt, ne } from './compare.js';
import { matmul } from './matmul.js';
import { expand, permute, transpose } from './permute.js';
import {
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  std,
  sum,
  variance,
  type Dims,
  type VarianceOptions,
} from './reduce.js';
import { flatten, reshape, squeeze, unsqueeze } from './reshape.js';
import { narrow, select, slice } from './slice.js';
import { abs, clamp, exp, log, neg, sigmoid, sqrt, square, tanh } from './unary.js';
import { relu } from './activation.js';
import { logSoftmax, softmax } from './softmax.js';
import type { TensorLike } from './util.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    square(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    clamp(min?: number, max?: number): Tensor;
    relu(): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(dim?: number): Tensor;
    sum(dim?: Dims, keepdim?: boolean): Tensor;
    mean(dim?: Dims, keepdim?: boolean): Tensor;
    max(dim?: Dims, keepdim?: boolean): Tensor;
    min(dim?: Dims, keepdim?: boolean): Tensor;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    var(dim?: Dims, options?: VarianceOptions): Tensor;
    std(dim?: Dims, options?: VarianceOptions): Tensor;
    logsumexp(dim?: Dims, keepdim?: boolean): Tensor;
    reshape(shape: Shape): Tensor;
    view(shape: Shape): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    expand(shape: Shape): Tensor;
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    select(dim: number, index: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    matmul(other: Tensor): Tensor;
    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
  }
}

const methods: ThisType<Tensor> & Record<string, (this: Tensor, ...args: never[]) => Tensor> = {
  add(other: TensorLike) {
    return add(this, other);
  },
  sub(other: TensorLike) {
    return sub(this, other);
  },
  mul(other: TensorLike) {
    return mul(this, other);
  },
  div(other: TensorLike) {
    return div(this, other);
  },
  pow(exponent: TensorLike) {
    return pow(this, exponent);
  },
  maximum(other: TensorLike) {
    return maximum(this, other);
  },
  minimum(other: TensorLike) {
    return minimum(this, other);
  },
  eq(other: TensorLike) {
    return eq(this, other);
  },
  ne(other: TensorLike) {
    return ne(this, other);
  },
  lt(other: TensorLike) {
    return lt(this, other);
  },
  le(other: TensorLike) {
    return le(this, other);
  },
  gt(other: TensorLike) {
    return gt(this, other);
  },
  ge(other: TensorLike) {
    return ge(this, other);
  },
  neg() {
    return neg(this);
  },
  abs() {
    return abs(this);
  },
  exp() {
    return exp(this);
  },
  log() {
    return log(this);
  },
  sqrt() {
    return sqrt(this);
  },
  square() {
    return square(this);
  },
  tanh() {
    return tanh(this);
  },
  sigmoid() {
    return sigmoid(this);
  },
  clamp(lo?: number, hi?: number) {
    return clamp(this, lo, hi);
  },
  relu() {
    return relu(this);
  },
  softmax(dim?: number) {
    return softmax(this, dim);
  },
  logSoftmax(dim?: number) {
    return logSoftmax(this, dim);
  },
  sum(dim?: Dims, keepdim?: boolean) {
    return sum(this, dim, keepdim);
  },
  mean(dim?: Dims, keepdim?: boolean) {
    return mean(this, dim, keepdim);
  },
  max(dim?: Dims, keepdim?: boolean) {
    return max(this, dim, keepdim);
  },
  min(dim?: Dims, keepdim?: boolean) {
    return min(this, dim, keepdim);
  },
  argmax(dim?: number, keepdim?: boolean) {
    return argmax(this, dim, keepdim);
  },
  argmin(dim?: number, keepdim?: boolean) {
    return argmin(this, dim, keepdim);
  },
  var(dim?: Dims, options?: VarianceOptions) {
    return variance(this, dim, options);
  },
  std(dim?: Dims, options?: VarianceOptions) {
    return std(this, dim, options);
  },
  logsumexp(dim?: Dims, keepdim?: boolean) {
    return logsumexp(this, dim, keepdim);
  },
  reshape(shape: Shape) {
    return reshape(this, shape);
  },
  view(shape: Shape) {
    return reshape(this, shape);
  },
  flatten(startDim?: number, endDim?: number) {
    return flatten(this, startDim, endDim);
  },
  squeeze(dim?: number) {
    return squeeze(this, dim);
  },
  unsqueeze(dim: number) {
    return unsqueeze(this, dim);
  },
  permute(dims: readonly number[]) {
    return permute(this, dims);
  },
  transpose(dim0: number, dim1: number) {
    return transpose(this, dim0, dim1);
  },
  expand(shape: Shape) {
    return expand(this, shape);
  },
  slice(dim: number, start?: number, end?: number, step?: number) {
    return slice(this, dim, start, end, step);
  },
  select(dim: number, index: number) {
    return select(this, dim, index);
  },
  narrow(dim: number, start: number, length: number) {
    return narrow(this, dim, start, length);
  },
  matmul(other: Tensor) {
    return matmul(this, other);
  },
  to(dtype: DType) {
    return cast(this, dtype);
  },
  float() {
    return cast(this, 'float32');
  },
  double() {
    return cast(this, 'float64');
  },
  int() {
    return cast(this, 'int32');
  },
};

Object.assign(Tensor.prototype, methods);
