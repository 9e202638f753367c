import type { Module } from '../module.js';
import { ReLU } from '../layers/activation.js';
import { Conv2d } from '../layers/conv.js';
import { BatchNorm2d } from '../layers/norm.js';

/** Options of {@link convBnAct}. */
export interface ConvBnActOptions {
  /** Kernel size (default 3); the padding is (k − 1) / 2, keeping the size at stride 1. */
  kernelSize?: number;
  stride?: number;
  /** Groups of the conv (inChannels for a depthwise conv). */
  groups?: number;
  /** The activation (default ReLU). */
  activation?: () => Module;
}

/**
 * conv (no bias: the batch norm's shift replaces it) → BatchNorm2d → activation, the unit most
 * zoo models are built from (torchvision's Conv2dNormActivation). Returns the three modules, to
 * spread into a Sequential so that their names are consecutive indices as in PyTorch.
 */
export function convBnAct(
  inChannels: number,
  outChannels: number,
  { kernelSize = 3, stride = 1, groups = 1, activation = () => new ReLU() }: ConvBnActOptions = {},
): Module[] {
  const padding = (kernelSize - 1) / 2;
  return [
    new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, groups, bias: false }),
    new BatchNorm2d(outChannels),
    activation(),
  ];
}
