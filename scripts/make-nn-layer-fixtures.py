#!/usr/bin/env python3
"""Generate the PyTorch reference for fovea's layers (test/nn/layers.test.ts, test/nn/losses.test.ts).

Writes test/fixtures/nn/layers.json, one entry per layer case:

    {"expr": the PyTorch constructor call, e.g. "Conv2d(3, 8, 3, stride=2, padding=1)"
             (the test maps each expr to the same fovea layer),
     "mode": "train" or "eval", "steps": forward passes run in that mode,
     "input": input shape, "output": output shape,
     "state": [[state_dict key, shape], ...], "numParameters": trainable parameter count,
     "repr": repr(layer),
     "values": the last pass's output, flat,
     "buffersAfter": {key: flat values} of the floating-point buffers after the passes,
     "batchesTracked": num_batches_tracked after the passes (when the layer has it)}

Every parameter and floating-point buffer is first filled by a deterministic formula
(`fill_state`; the TypeScript test has the same one), and pass s reads the input
x[i] = 2·sin(0.37·i + 0.5 + s), so the test checks each layer's computation against PyTorch's
without storing any weights. Dropout layers run in eval mode only (their masks are random).

And test/fixtures/nn/losses.json, one entry per loss case, with its input and target values
stored as they are (a few numbers each): {"expr", "repr", "input", "target", "output"}, each
tensor as {"shape", "dtype", "values"}.

Run with Debian's PyTorch 1.13 (python3-torch):

    /usr/bin/python3 scripts/make-nn-layer-fixtures.py
"""

import json
import math
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "nn"


class Residual(nn.Module):
    """fovea's Residual: body(x) + shortcut(x), the shortcut the identity unless given."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        self.shortcut = shortcut if shortcut is not None else nn.Identity()

    def forward(self, x):
        return self.body(x) + self.shortcut(x)


class DepthwiseSeparableConv2d(nn.Module):
    """fovea's DepthwiseSeparableConv2d written out in PyTorch, with the same child names."""

    def __init__(self, cin, cout, k, stride=1, padding=None, bias=False, norm=True, activation=nn.ReLU):
        super().__init__()
        padding = k // 2 if padding is None else padding
        act = activation or nn.Identity
        self.depthwise = nn.Conv2d(cin, cin, k, stride=stride, padding=padding, groups=cin, bias=bias)
        self.bn1 = nn.BatchNorm2d(cin) if norm else nn.Identity()
        self.act1 = act()
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=bias)
        self.bn2 = nn.BatchNorm2d(cout) if norm else nn.Identity()
        self.act2 = act()

    def forward(self, x):
        x = self.act1(self.bn1(self.depthwise(x)))
        return self.act2(self.bn2(self.pointwise(x)))


# (PyTorch constructor call, input shape, mode, steps)
LAYERS = [
    # convolutions
    ("Conv1d(4, 8, 5, groups=2, bias=False)", [2, 4, 9], "eval", 1),
    ("Conv1d(3, 4, 3, padding='same', padding_mode='circular')", [2, 3, 7], "eval", 1),
    ("Conv2d(3, 8, 3, stride=2, padding=1)", [1, 3, 7, 7], "eval", 1),
    ("Conv2d(4, 6, (3, 2), padding=(2, 1), dilation=(2, 1), groups=2, padding_mode='reflect')", [1, 4, 6, 5], "eval", 1),
    ("Conv2d(2, 3, 3, padding=1, padding_mode='replicate')", [1, 2, 4, 5], "eval", 1),
    ("Conv2d(4, 4, 3, padding='same', groups=4, bias=False)", [1, 4, 5, 5], "eval", 1),
    ("Conv2d(3, 2, 1)", [2, 3, 1, 1], "eval", 1),
    ("Conv3d(2, 4, (3, 1, 3))", [1, 2, 4, 3, 5], "eval", 1),
    ("ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1)", [1, 4, 5], "eval", 1),
    ("ConvTranspose2d(8, 4, 2, stride=2, groups=2)", [1, 8, 3, 3], "eval", 1),
    ("ConvTranspose2d(3, 2, 3, stride=2, padding=1, dilation=2, bias=False)", [1, 3, 3, 3], "eval", 1),
    ("ConvTranspose3d(2, 3, 2, stride=2)", [1, 2, 2, 2, 2], "eval", 1),
    # pooling
    ("MaxPool1d(3, stride=2, padding=1)", [1, 2, 9], "eval", 1),
    ("MaxPool2d(2)", [1, 2, 7, 7], "eval", 1),
    ("MaxPool2d(3, stride=2, padding=1, ceil_mode=True)", [1, 2, 8, 8], "eval", 1),
    ("MaxPool2d((2, 3), stride=1, dilation=(2, 1))", [1, 1, 5, 6], "eval", 1),
    ("MaxPool3d(2, stride=1)", [1, 1, 3, 3, 3], "eval", 1),
    ("AvgPool1d(3, stride=2, padding=1)", [1, 2, 9], "eval", 1),
    ("AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)", [1, 2, 6, 6], "eval", 1),
    ("AvgPool2d(2, divisor_override=3)", [1, 2, 4, 4], "eval", 1),
    ("AvgPool3d(2)", [1, 1, 4, 4, 4], "eval", 1),
    ("AdaptiveAvgPool1d(3)", [1, 2, 7], "eval", 1),
    ("AdaptiveAvgPool2d(1)", [2, 3, 5, 7], "eval", 1),
    ("AdaptiveAvgPool2d((3, None))", [1, 2, 5, 7], "eval", 1),
    ("AdaptiveAvgPool3d((1, 2, 3))", [1, 2, 3, 4, 5], "eval", 1),
    ("AdaptiveMaxPool1d(3)", [1, 2, 7], "eval", 1),
    ("AdaptiveMaxPool2d((2, 3))", [1, 2, 5, 7], "eval", 1),
    ("AdaptiveMaxPool3d(2)", [1, 1, 3, 5, 4], "eval", 1),
    ("LPPool1d(2, 3, stride=2)", [1, 2, 9], "eval", 1),
    ("LPPool2d(4, 2)", [1, 2, 4, 5], "eval", 1),
    # normalization
    ("BatchNorm1d(5)", [6, 5], "train", 1),
    ("BatchNorm1d(4)", [3, 4, 5], "train", 1),
    ("BatchNorm1d(4)", [3, 4, 5], "eval", 1),
    ("BatchNorm1d(5, momentum=None)", [6, 5], "train", 3),
    ("BatchNorm2d(4)", [2, 4, 3, 3], "train", 2),
    ("BatchNorm2d(4)", [2, 4, 3, 3], "eval", 1),
    ("BatchNorm2d(4, eps=0.001, momentum=0.3)", [2, 4, 3, 3], "train", 1),
    ("BatchNorm2d(3, affine=False)", [2, 3, 2, 2], "train", 1),
    ("BatchNorm2d(3, track_running_stats=False)", [2, 3, 2, 2], "eval", 1),
    ("BatchNorm3d(2)", [2, 2, 2, 3, 3], "train", 1),
    ("BatchNorm3d(2)", [2, 2, 2, 3, 3], "eval", 1),
    ("GroupNorm(2, 6)", [2, 6, 3, 3], "eval", 1),
    ("GroupNorm(3, 6, eps=0.001, affine=False)", [2, 6, 4], "eval", 1),
    ("LayerNorm([4, 4])", [2, 3, 4, 4], "eval", 1),
    ("LayerNorm(5, eps=0.001, elementwise_affine=False)", [2, 5], "eval", 1),
    ("InstanceNorm1d(3)", [2, 3, 6], "eval", 1),
    ("InstanceNorm2d(3, affine=True)", [2, 3, 4, 4], "eval", 1),
    ("InstanceNorm2d(3, track_running_stats=True)", [2, 3, 4, 4], "train", 2),
    ("InstanceNorm2d(3, track_running_stats=True)", [2, 3, 4, 4], "eval", 1),
    ("InstanceNorm3d(2, affine=True)", [1, 2, 3, 3, 3], "eval", 1),
    ("LocalResponseNorm(3)", [1, 5, 3, 3], "eval", 1),
    ("LocalResponseNorm(2, alpha=0.01, beta=0.5, k=2.0)", [2, 4, 3], "eval", 1),
    # dropout (eval: the identity)
    ("Dropout(0.3)", [2, 5], "eval", 1),
    ("Dropout1d(0.5)", [2, 3, 4], "eval", 1),
    ("Dropout2d()", [2, 4, 3, 3], "eval", 1),
    ("Dropout3d(0.2)", [1, 2, 2, 2, 2], "eval", 1),
    ("AlphaDropout(0.2)", [2, 5], "eval", 1),
    ("FeatureAlphaDropout(0.2)", [2, 3, 2, 2], "eval", 1),
    # resampling
    ("Upsample(scale_factor=2)", [1, 2, 3, 3], "eval", 1),
    ("Upsample(size=(5, 4), mode='bilinear', align_corners=True)", [1, 2, 3, 3], "eval", 1),
    ("Upsample(scale_factor=1.5, mode='bicubic')", [1, 1, 4, 4], "eval", 1),
    ("Upsample(scale_factor=2, mode='linear')", [1, 2, 4], "eval", 1),
    ("Upsample(size=(3, 4, 2), mode='trilinear')", [1, 1, 2, 2, 2], "eval", 1),
    ("Upsample(scale_factor=(2, 1.5), mode='nearest-exact')", [1, 1, 3, 4], "eval", 1),
    ("PixelShuffle(2)", [1, 8, 3, 3], "eval", 1),
    ("PixelUnshuffle(2)", [1, 2, 4, 6], "eval", 1),
    # activations
    ("ReLU()", [2, 7], "eval", 1),
    ("ReLU6()", [2, 7], "eval", 1),
    ("LeakyReLU()", [2, 7], "eval", 1),
    ("LeakyReLU(0.2)", [2, 7], "eval", 1),
    ("PReLU()", [2, 3, 4], "eval", 1),
    ("PReLU(3, init=0.1)", [2, 3, 4], "eval", 1),
    ("ELU(alpha=0.5)", [2, 7], "eval", 1),
    ("SELU()", [2, 7], "eval", 1),
    ("CELU(2.0)", [2, 7], "eval", 1),
    ("GELU()", [2, 7], "eval", 1),
    ("GELU(approximate='tanh')", [2, 7], "eval", 1),
    ("SiLU()", [2, 7], "eval", 1),
    ("Mish()", [2, 7], "eval", 1),
    ("Hardswish()", [2, 7], "eval", 1),
    ("Hardsigmoid()", [2, 7], "eval", 1),
    ("Hardtanh(-2, 2)", [2, 7], "eval", 1),
    ("Sigmoid()", [2, 7], "eval", 1),
    ("Tanh()", [2, 7], "eval", 1),
    ("Softplus(beta=2, threshold=5)", [2, 7], "eval", 1),
    ("Softsign()", [2, 7], "eval", 1),
    ("LogSigmoid()", [2, 7], "eval", 1),
    ("Softmax(dim=1)", [2, 3, 4], "eval", 1),
    ("Softmax(dim=-1)", [2, 3, 4], "eval", 1),
    ("LogSoftmax(dim=1)", [2, 3, 4], "eval", 1),
    # linear and containers
    ("Linear(10, 5)", [3, 10], "eval", 1),
    ("Linear(6, 3, bias=False)", [2, 4, 6], "eval", 1),
    ("Identity()", [2, 3], "eval", 1),
    ("Flatten()", [2, 3, 4], "eval", 1),
    ("Flatten(0, 1)", [2, 3, 4], "eval", 1),
    ("Sequential(Conv2d(2, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Flatten(), Linear(16, 3))", [2, 2, 4, 4], "train", 1),
    ("Sequential(Conv2d(2, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Flatten(), Linear(16, 3))", [2, 2, 4, 4], "eval", 1),
    ("Residual(Sequential(Conv2d(4, 4, 3, padding=1), ReLU()))", [1, 4, 3, 3], "eval", 1),
    ("Residual(Conv2d(2, 4, 3, padding=1), Conv2d(2, 4, 1, bias=False))", [1, 2, 3, 3], "eval", 1),
    ("DepthwiseSeparableConv2d(4, 8, 3, stride=2)", [2, 4, 5, 5], "train", 1),
    ("DepthwiseSeparableConv2d(4, 8, 3, stride=2)", [2, 4, 5, 5], "eval", 1),
    ("DepthwiseSeparableConv2d(3, 4, 5, padding=1, bias=True, norm=False, activation=ReLU6)", [1, 3, 6, 6], "eval", 1),
    ("DepthwiseSeparableConv2d(2, 3, 3, activation=None)", [1, 2, 3, 3], "eval", 1),
]


# (PyTorch constructor call, input, target): each a function of nothing returning a tensor.
def _x(shape, salt=0.0):
    n = math.prod(shape)
    return (2 * torch.sin(0.37 * torch.arange(n, dtype=torch.float64) + 0.5 + salt)).float().reshape(shape)


def _classes(shape, c):
    return (torch.arange(math.prod(shape)) * 7 % c).reshape(shape)


LOSSES = [
    ("CrossEntropyLoss()", lambda: _x([4, 3]), lambda: _classes([4], 3)),
    ("CrossEntropyLoss(label_smoothing=0.1, reduction='sum')", lambda: _x([4, 3]), lambda: _classes([4], 3)),
    ("CrossEntropyLoss(weight=tensor([1.0, 2.0, 0.5]), ignore_index=1)", lambda: _x([5, 3]), lambda: _classes([5], 3)),
    ("CrossEntropyLoss(reduction='none')", lambda: _x([2, 3, 2, 2]), lambda: _classes([2, 2, 2], 3)),
    ("CrossEntropyLoss()", lambda: _x([3, 4]), lambda: torch.softmax(_x([3, 4], 1.0), 1)),
    ("NLLLoss()", lambda: torch.log_softmax(_x([4, 3]), 1), lambda: _classes([4], 3)),
    ("NLLLoss(weight=tensor([0.5, 1.0, 2.0]), reduction='sum')", lambda: torch.log_softmax(_x([4, 3]), 1), lambda: _classes([4], 3)),
    ("MSELoss()", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("MSELoss(reduction='sum')", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("L1Loss()", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("L1Loss(reduction='none')", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("SmoothL1Loss()", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("SmoothL1Loss(beta=0.5)", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("HuberLoss()", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("HuberLoss(delta=0.5, reduction='sum')", lambda: _x([2, 5]), lambda: _x([2, 5], 1.0)),
    ("BCELoss()", lambda: torch.sigmoid(_x([2, 5])), lambda: torch.sigmoid(_x([2, 5], 1.0))),
    ("BCELoss(weight=tensor([1.0, 2.0, 1.0, 0.5, 3.0]))", lambda: torch.sigmoid(_x([2, 5])), lambda: (_x([2, 5], 1.0) > 0).float()),
    ("BCEWithLogitsLoss()", lambda: _x([2, 5]), lambda: torch.sigmoid(_x([2, 5], 1.0))),
    ("BCEWithLogitsLoss(pos_weight=tensor([1.0, 2.0, 1.0, 0.5, 3.0]), reduction='none')", lambda: _x([2, 5]), lambda: (_x([2, 5], 1.0) > 0).float()),
]


def key_seed(key):
    return sum(ord(c) for c in key) % 31


def fill_state(module):
    """The deterministic state shared with test/nn/layers.test.ts (see fillState there)."""
    with torch.no_grad():
        for key, t in module.state_dict().items():
            if not t.is_floating_point():  # num_batches_tracked
                continue
            i = torch.arange(t.numel(), dtype=torch.float64)
            v = torch.sin(0.7 * i + 1.3 * key_seed(key))
            if key.endswith("running_var"):
                v = 1 + 0.5 * v * v
            elif t.dim() >= 2:  # conv and linear weights: about unit output variance
                v = v * math.sqrt(2 * t.shape[0] / t.numel())
            else:
                v = 0.5 * v
            t.copy_(v.reshape(t.shape))


def flat(t):
    """Values rounded to 7 significant digits (float32 holds about 7), which keeps the file small."""
    return [float(f"{v:.7g}") for v in t.detach().double().flatten().tolist()]


def namespace():
    ns = {name: getattr(nn, name) for name in dir(nn) if not name.startswith("_")}
    ns.update(Residual=Residual, DepthwiseSeparableConv2d=DepthwiseSeparableConv2d, tensor=torch.tensor)
    return ns


def layer_case(expr, shape, mode, steps):
    torch.manual_seed(0)
    layer = eval(expr, namespace())
    fill_state(layer)
    layer.train(mode == "train")
    for s in range(steps):
        out = layer(_x(shape, s))
    state = layer.state_dict()
    entry = {
        "expr": expr,
        "mode": mode,
        "steps": steps,
        "input": shape,
        "output": list(out.shape),
        "state": [[k, list(t.shape)] for k, t in state.items()],
        "numParameters": sum(p.numel() for p in layer.parameters()),
        "repr": repr(layer),
        "values": flat(out),
    }
    if mode == "train":
        entry["buffersAfter"] = {k: flat(t) for k, t in state.items() if k.endswith(("running_mean", "running_var"))}
    tracked = [t.item() for k, t in state.items() if k.endswith("num_batches_tracked")]
    if tracked:
        entry["batchesTracked"] = tracked[0]
    return entry


def as_json(t):
    dtype = "int32" if t.dtype == torch.int64 else "float32"
    return {"shape": list(t.shape), "dtype": dtype, "values": t.flatten().tolist()}


def loss_case(expr, make_input, make_target):
    loss = eval(expr, namespace())
    x, y = make_input(), make_target()
    return {"expr": expr, "repr": repr(loss), "input": as_json(x), "target": as_json(y), "output": {"shape": list(loss(x, y).shape), "values": flat(loss(x, y))}}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    layers = [layer_case(*c) for c in LAYERS]
    losses = [loss_case(*c) for c in LOSSES]
    (OUT / "layers.json").write_text(json.dumps({"torch": torch.__version__, "cases": layers}, separators=(",", ":")) + "\n")
    (OUT / "losses.json").write_text(json.dumps({"torch": torch.__version__, "cases": losses}, separators=(",", ":")) + "\n")
    print(f"{len(layers)} layer cases, {len(losses)} loss cases written to {OUT}")


if __name__ == "__main__":
    main()
