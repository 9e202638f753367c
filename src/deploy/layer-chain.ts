import type { Module } from '../nn/module.js';
import { Flatten, Residual, Sequential } from '../nn/layers/container.js';
import { FashionCnn } from '../nn/zoo/fashion-cnn.js';
import { InvertedResidual } from '../nn/zoo/mobilenet-v2.js';
import { BasicBlock } from '../nn/zoo/resnet.js';
import { SmallVgg } from '../nn/zoo/small-vgg.js';
import { FoveaError } from '../tensor/errors.js';
import { FusedLayer } from './fused-layer.js';

/** One step of a chain: the module and its dotted name ('' for one the chain made up). */
export interface ChainLink {
  name: string;
  module: Module;
}

/**
 * Zoo models whose forward is a fixed chain of their children: `features → avgpool → flatten →
 * classifier` for fashion_cnn and small_vgg.
 */
const CHAIN_FORMS = new Map<abstract new (...args: never[]) => Module, (m: never) => Module[]>([
  [FashionCnn, (m: FashionCnn) => [m.features, m.avgpool, new Flatten(1), m.classifier]],
  [SmallVgg, (m: SmallVgg) => [m.features, m.avgpool, new Flatten(1), m.classifier]],
]);

function links(m: Module, name: string, op: string): ChainLink[] {
  const children = m.namedChildren();
  if (children.length === 0 || m instanceof FusedLayer) return [{ name, module: m }];
  const qualify = (child: string) => (name ? `${name}.${child}` : child);
  if (m instanceof Sequential) return children.flatMap(([n, c]) => links(c, qualify(n), op));
  for (const [cls, form] of CHAIN_FORMS) {
    if (!(m instanceof cls)) continue;
    const byModule = new Map(children.map(([n, c]) => [c, n]));
    return form(m as never).flatMap((c) => {
      const child = byModule.get(c);
      return child === undefined ? [{ name: '', module: c }] : links(c, qualify(child), op);
    });
  }
  const residual = m
    .namedModules(name)
    .find(
      ([, d]) =>
        d instanceof Residual ||
        d instanceof BasicBlock ||
        (d instanceof InvertedResidual && d.useResConnect),
    );
  if (residual) {
    const [where, block] = residual;
    throw new FoveaError(
      op,
      `${where || 'the model'} (${block.constructor.name}) adds a residual connection: the channels of its input are also read by the addition, so ${op} cannot change them safely; it follows Sequential chains (and fashion_cnn, small_vgg)`,
    );
  }
  throw new FoveaError(
    op,
    `${name || 'the model'} (${m.constructor.name}) runs its children in its own forward, whose data flow ${op} cannot read; it follows Sequential chains (and fashion_cnn, small_vgg)`,
  );
}

/**
 * The leaf modules a chain-shaped model runs, in order, with their dotted names: Sequentials are
 * flattened, fashion_cnn and small_vgg read as `features, avgpool, Flatten, classifier`, and a
 * FusedLayer is one step. Throws a FoveaError naming `op` and the module where the model is not a
 * chain (a residual block such as ResNet's BasicBlock or MobileNetV2's InvertedResidual).
 *
 * @example layerChain(createModel('fashion_cnn'), 'export').map((l) => l.name) // ['features.0', ...]
 */
export function layerChain(model: Module, op: string): ChainLink[] {
  return links(model, '', op);
}
