#!/usr/bin/env python3
"""Generate extra PyTorch reference cases for fovea's op tests.

Writes test/fixtures/torch-extra/ops/<case_name>/ (one folder per case), an
index.json listing the cases and a README.md describing them. The format is
exactly that of the shared fixtures (../shared/fixtures/torch/ops/, see their
README.md):

    case.json  {"op": torch.nn.functional name,
                "attrs": its keyword arguments (PyTorch names and meaning),
                "inputs": {argument name: file}   (main tensor input first),
                "output": "out.npy",
                "upstream": "gout.npy",
                "grads": {input name: "grad_<name>.npy"},
                "state_after": {...}               (batch_norm training only)}

    *.npy      little-endian float32 tensors, int64 class labels.

How the numbers are made:

* Every case seeds torch with a seed derived from its name (CRC-32), so a case
  does not change when other cases are added or removed.
* Inputs are drawn in float32 (mostly torch.randn). For the reference the
  float32 inputs are cast to float64 and the forward and backward passes run in
  float64; `output` and `grads` are then rounded once to float32. So fovea,
  computing in float32, should match within about 1e-4 relative.
* `upstream` (gout) is a float32 randn tensor shaped like the output and
  grads[name] = d(sum(output * gout)) / d(input name). Only differentiable
  inputs get grads: never targets, class labels, class weights, pos_weight or
  running statistics.
* For max pooling the inputs are checked to be all distinct so no ties happen
  and the gradient is unambiguous.

One convention is ours rather than PyTorch's functional API:

* `padding_mode` ("reflect", "replicate", "circular") is an argument of the
  nn.ConvNd modules, not of F.convNd. A case with op "conv2d" (or conv1d/3d)
  and attrs {"padding": p, "padding_mode": mode, ...} means what nn.Conv2d
  means: pad the input with F.pad(x, pads, mode) where pads repeats every
  spatial padding twice, last dimension first, then run F.conv2d with
  padding=0. The script checks this against nn.Conv2d(padding_mode=mode).

Run with Debian's PyTorch 1.13 (package python3-torch), e.g.

    /usr/bin/python3 scripts/make-torch-fixtures.py [--out DIR]

The output folder's ops/ is deleted and rewritten on every run.
"""

import argparse
import json
import shutil
import sys
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - environment problem, not a bug
    sys.exit("PyTorch not found: run with Debian's /usr/bin/python3 (python3-torch)")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "test" / "fixtures" / "torch-extra"

# Each case must stay small; the whole folder must stay under 2 MB.
MAX_CASE_BYTES = 20 * 1024


# ---------------------------------------------------------------------------
# Case description
# ---------------------------------------------------------------------------


@dataclass
class Spec:
    """One fixture case, before the reference numbers are computed."""

    op: str  # torch.nn.functional name
    attrs: dict  # keyword arguments as written to case.json
    inputs: Dict[str, torch.Tensor]  # float32 or int64, main input first
    # forward(**inputs) -> output; receives float64 copies of float inputs
    forward: Callable[..., torch.Tensor]
    grads: List[str]  # names of the inputs that get a gradient
    covers: str  # one line for the README table
    # input name -> name written in state_after; these inputs are updated in
    # place by the forward pass (batch_norm running statistics)
    state_after: List[str] = field(default_factory=list)
    # optional extra check: check(inputs64, output64) raises if something is off
    check: Optional[Callable[[Dict[str, torch.Tensor], torch.Tensor], None]] = None


CASES: List[tuple] = []  # (name, function returning Spec), in definition order


def case(name: str):
    """Register a case. The function is called after seeding torch for it."""

    def register(fn):
        assert all(n != name for n, _ in CASES), f"duplicate case {name}"
        CASES.append((name, fn))
        return fn

    return register


# ---------------------------------------------------------------------------
# Input helpers (all float32 unless said otherwise)
# ---------------------------------------------------------------------------


def randn(*shape) -> torch.Tensor:
    return torch.randn(*shape, dtype=torch.float32)


def distinct_randn(*shape) -> torch.Tensor:
    """randn with every value distinct, so max pooling has no ties."""
    while True:
        x = randn(*shape)
        if torch.unique(x).numel() == x.numel():
            return x


def positive(*shape) -> torch.Tensor:
    """Positive weights in [0.5, 1.5), for class weights and pos_weight."""
    return torch.rand(*shape, dtype=torch.float32) + 0.5


def labels(high: int, *shape) -> torch.Tensor:
    """int64 class labels in [0, high)."""
    return torch.randint(0, high, shape, dtype=torch.int64)


def jsonable(v):
    """Tuples become lists so case.json holds plain JSON."""
    if isinstance(v, (tuple, list)):
        return [jsonable(e) for e in v]
    return v


def conv_pads(padding, ndim: int) -> List[int]:
    """F.pad list equivalent to a ConvNd module's padding (int or tuple):
    each spatial padding repeated twice, last spatial dimension first."""
    p = [padding] * ndim if isinstance(padding, int) else list(padding)
    pads: List[int] = []
    for v in reversed(p):
        pads += [v, v]
    return pads


# ---------------------------------------------------------------------------
# Builders for families of cases
# ---------------------------------------------------------------------------

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
CONV_MODULE = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}


def conv_spec(nd, x_shape, w_shape, bias, covers, stride=1, padding=0,
              dilation=1, groups=1, padding_mode=None) -> Spec:
    """F.convNd case. With padding_mode (not an F.convNd kwarg) the input is
    padded by F.pad(mode=padding_mode) and the convolution uses padding=0,
    which is exactly what nn.ConvNd(padding_mode=...) does."""
    inputs = {"x": randn(*x_shape), "weight": randn(*w_shape)}
    if bias:
        inputs["bias"] = randn(w_shape[0])
    attrs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    conv = CONV[nd]

    if padding_mode is None:
        def forward(x, weight, bias=None):
            return conv(x, weight, bias, stride=stride, padding=padding,
                        dilation=dilation, groups=groups)
        check = None
    else:
        attrs["padding_mode"] = padding_mode
        pads = conv_pads(padding, nd)

        def forward(x, weight, bias=None):
            return conv(F.pad(x, pads, mode=padding_mode), weight, bias,
                        stride=stride, padding=0, dilation=dilation, groups=groups)

        def check(t, out):
            # Same numbers as the nn module with this padding_mode.
            m = CONV_MODULE[nd](x_shape[1], w_shape[0], w_shape[2:], stride=stride,
                                padding=padding, dilation=dilation, groups=groups,
                                bias=bias, padding_mode=padding_mode).double()
            with torch.no_grad():
                m.weight.copy_(t["weight"])
                if bias:
                    m.bias.copy_(t["bias"])
                ref = m(t["x"])
            assert torch.allclose(ref, out, rtol=1e-12, atol=1e-12), "padding_mode mismatch"

    return Spec(CONV[nd].__name__, jsonable(attrs), inputs, forward,
                list(inputs), covers, check=check)


def conv_t_spec(nd, x_shape, w_shape, bias, covers, stride=1, padding=0,
                output_padding=0, dilation=1, groups=1) -> Spec:
    """F.conv_transposeNd case; weight is (C_in, C_out / groups, *kernel)."""
    inputs = {"x": randn(*x_shape), "weight": randn(*w_shape)}
    if bias:
        inputs["bias"] = randn(w_shape[1] * groups)
    attrs = {"stride": stride, "padding": padding, "output_padding": output_padding,
             "dilation": dilation, "groups": groups}
    conv = CONV_T[nd]

    def forward(x, weight, bias=None):
        return conv(x, weight, bias, stride=stride, padding=padding,
                    output_padding=output_padding, groups=groups, dilation=dilation)

    return Spec(conv.__name__, jsonable(attrs), inputs, forward, list(inputs), covers)


def unary_spec(op, x, attrs, covers, fn=None) -> Spec:
    """Single-input op F.<op>(x, **attrs) with a gradient for x."""
    f = fn or getattr(F, op)
    return Spec(op, jsonable(attrs), {"x": x},
                lambda x: f(x, **attrs), ["x"], covers)


# ---------------------------------------------------------------------------
# Convolutions
# ---------------------------------------------------------------------------


@case("conv2d_pad_reflect")
def _():
    return conv_spec(2, (2, 3, 5, 6), (4, 3, 3, 3), True, "padding_mode reflect (F.pad + conv, padding 1)",
                     padding=1, padding_mode="reflect")


@case("conv2d_pad_replicate")
def _():
    return conv_spec(2, (2, 2, 5, 6), (3, 2, 3, 5), True,
                     "padding_mode replicate, padding pair (1, 2), 3x5 kernel",
                     padding=(1, 2), padding_mode="replicate")


@case("conv2d_pad_circular")
def _():
    return conv_spec(2, (1, 3, 6, 7), (4, 3, 3, 3), True, "padding_mode circular, padding 2, stride 2",
                     stride=2, padding=2, padding_mode="circular")


@case("conv1d_pad_circular")
def _():
    return conv_spec(1, (2, 3, 7), (4, 3, 3), True, "conv1d padding_mode circular, padding 2, dilation 2",
                     padding=2, dilation=2, padding_mode="circular")


@case("conv1d_pad_reflect")
def _():
    return conv_spec(1, (2, 2, 8), (3, 2, 5), True, "conv1d padding_mode reflect, padding 2, stride 2",
                     stride=2, padding=2, padding_mode="reflect")


@case("conv3d_pad_replicate")
def _():
    return conv_spec(3, (1, 2, 4, 4, 3), (3, 2, 3, 3, 3), True, "conv3d padding_mode replicate, padding 1",
                     padding=1, padding_mode="replicate")


@case("conv2d_same_k4")
def _():
    return conv_spec(2, (2, 3, 6, 5), (4, 3, 4, 4), True,
                     'padding "same" with even kernel 4 (1 before, 2 after)', padding="same")


@case("conv2d_same_dil2")
def _():
    return conv_spec(2, (1, 3, 7, 6), (4, 3, 3, 3), True, 'padding "same" with dilation 2',
                     padding="same", dilation=2)


@case("conv1d_same_k4")
def _():
    return conv_spec(1, (2, 2, 7), (3, 2, 4), True, 'conv1d padding "same", even kernel 4', padding="same")


@case("conv2d_valid")
def _():
    return conv_spec(2, (2, 2, 6, 5), (3, 2, 3, 2), True, 'padding "valid", 3x2 kernel', padding="valid")


@case("conv2d_s2_d2_g3")
def _():
    return conv_spec(2, (1, 6, 9, 9), (6, 2, 3, 3), True, "stride 2 + dilation 2 + groups 3, padding 1",
                     stride=2, padding=1, dilation=2, groups=3)


@case("conv2d_depthwise_x2")
def _():
    return conv_spec(2, (2, 3, 5, 5), (6, 1, 3, 3), True, "depthwise, groups = C_in = 3, multiplier 2",
                     padding=1, groups=3)


@case("conv2d_batch1_rect")
def _():
    return conv_spec(2, (1, 2, 5, 7), (3, 2, 2, 3), True,
                     "batch 1, 2x3 kernel, stride (1, 2), padding (1, 0)", stride=(1, 2), padding=(1, 0))


@case("conv2d_1x1_image")
def _():
    return conv_spec(2, (3, 4, 1, 1), (5, 4, 1, 1), True, "1x1 image with 1x1 kernel")


@case("conv3d_s212_g2")
def _():
    return conv_spec(3, (1, 4, 5, 4, 5), (4, 2, 3, 3, 3), True, "conv3d stride (2, 1, 2), groups 2, padding 1",
                     stride=(2, 1, 2), padding=1, groups=2)


@case("conv1d_k5_s3")
def _():
    return conv_spec(1, (2, 3, 11), (4, 3, 5), True, "conv1d plain ints: kernel 5, stride 3, padding 2",
                     stride=3, padding=2)


@case("conv1d_nobias_d3")
def _():
    return conv_spec(1, (1, 4, 10), (2, 4, 3), False, "conv1d without bias, dilation 3", dilation=3)


# ---------------------------------------------------------------------------
# Transposed convolutions
# ---------------------------------------------------------------------------


@case("conv_transpose1d_0")
def _():
    return conv_t_spec(1, (2, 3, 5), (3, 2, 4), True, "stride 2, padding 1, output_padding 1",
                       stride=2, padding=1, output_padding=1)


@case("conv_transpose2d_g2")
def _():
    return conv_t_spec(2, (1, 4, 3, 4), (4, 3, 3, 3), True, "groups 2, stride 2",
                       stride=2, groups=2)


@case("conv_transpose2d_d2")
def _():
    return conv_t_spec(2, (2, 2, 3, 3), (2, 3, 3, 3), True, "dilation 2, padding 1",
                       padding=1, dilation=2)


@case("conv_transpose2d_s3_op2")
def _():
    return conv_t_spec(2, (1, 2, 3, 3), (2, 2, 3, 3), True, "stride 3, padding 1, output_padding 2",
                       stride=3, padding=1, output_padding=2)


@case("conv_transpose2d_k23_s21")
def _():
    return conv_t_spec(2, (1, 3, 3, 4), (3, 2, 2, 3), True,
                       "2x3 kernel, stride (2, 1), padding (0, 1), output_padding (1, 0)",
                       stride=(2, 1), padding=(0, 1), output_padding=(1, 0))


@case("conv_transpose3d_0")
def _():
    return conv_t_spec(3, (1, 2, 2, 3, 2), (2, 2, 3, 3, 3), True, "stride 2, padding 1, output_padding 1",
                       stride=2, padding=1, output_padding=1)


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------


def max_pool_spec(nd, x_shape, covers, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    attrs = {"kernel_size": kernel_size, "stride": stride if stride is not None else kernel_size,
             "padding": padding, "dilation": dilation, "ceil_mode": ceil_mode}
    return unary_spec(f"max_pool{nd}d", distinct_randn(*x_shape), attrs, covers)


def avg_pool_spec(nd, x_shape, covers, kernel_size, stride=None, padding=0, ceil_mode=False,
                  count_include_pad=True, divisor_override=None):
    attrs = {"kernel_size": kernel_size, "stride": stride if stride is not None else kernel_size,
             "padding": padding, "ceil_mode": ceil_mode, "count_include_pad": count_include_pad}
    if divisor_override is not None:  # avg_pool1d has no divisor_override
        attrs["divisor_override"] = divisor_override
    return unary_spec(f"avg_pool{nd}d", randn(*x_shape), attrs, covers)


@case("max_pool1d_0")
def _():
    return max_pool_spec(1, (2, 3, 9), "kernel 3, stride 2, padding 1", 3, 2, padding=1)


@case("max_pool2d_dil2")
def _():
    return max_pool_spec(2, (1, 2, 7, 8), "kernel 3, stride 1, dilation 2, padding 1", 3, 1, padding=1, dilation=2)


@case("max_pool2d_ceil")
def _():
    return max_pool_spec(2, (1, 2, 8, 9), "kernel 3, stride 2, ceil_mode (partial last window)", 3, 2,
                         ceil_mode=True)


@case("max_pool2d_rect")
def _():
    return max_pool_spec(2, (2, 2, 6, 7), "kernel (2, 3), stride (1, 2), padding (1, 1)", (2, 3), (1, 2),
                         padding=(1, 1))


@case("max_pool2d_pad")
def _():
    return max_pool_spec(2, (1, 3, 7, 8), "kernel 3, stride 3, padding 1, floor mode", 3, 3, padding=1)


@case("max_pool3d_0")
def _():
    return max_pool_spec(3, (1, 2, 5, 4, 5), "kernel 3, stride 2, padding 1", 3, 2, padding=1)


@case("avg_pool1d_ceil_excl")
def _():
    return avg_pool_spec(1, (2, 3, 8), "kernel 3, stride 2, padding 1, ceil_mode, count_include_pad False",
                         3, 2, padding=1, ceil_mode=True, count_include_pad=False)


@case("avg_pool2d_divisor")
def _():
    return avg_pool_spec(2, (1, 2, 6, 7), "kernel 3, stride 2, padding 1, divisor_override 4",
                         3, 2, padding=1, divisor_override=4)


@case("avg_pool2d_ceil_incl")
def _():
    return avg_pool_spec(2, (1, 2, 7, 8),
                         "kernel 4, stride 3, padding 2, ceil_mode, count_include_pad True "
                         "(last window clipped at the padded edge; dropped rows)",
                         4, 3, padding=2, ceil_mode=True, count_include_pad=True)


@case("avg_pool2d_ceil_excl")
def _():
    return avg_pool_spec(2, (1, 2, 7, 8), "as avg_pool2d_ceil_incl with count_include_pad False",
                         4, 3, padding=2, ceil_mode=True, count_include_pad=False)


@case("avg_pool3d_0")
def _():
    return avg_pool_spec(3, (1, 2, 5, 4, 5), "kernel 3, stride 2, padding 1, count_include_pad False",
                         3, 2, padding=1, count_include_pad=False)


@case("adaptive_avg_pool1d_7to3")
def _():
    return unary_spec("adaptive_avg_pool1d", randn(2, 3, 7), {"output_size": 3}, "7 -> 3 (overlapping windows)")


@case("adaptive_avg_pool2d_5x7to4x3")
def _():
    return unary_spec("adaptive_avg_pool2d", randn(2, 2, 5, 7), {"output_size": [4, 3]}, "5x7 -> 4x3")


@case("adaptive_avg_pool3d_0")
def _():
    return unary_spec("adaptive_avg_pool3d", randn(1, 2, 5, 7, 6), {"output_size": [4, 3, 4]}, "5x7x6 -> 4x3x4")


@case("adaptive_max_pool1d_7to3")
def _():
    return unary_spec("adaptive_max_pool1d", distinct_randn(2, 3, 7), {"output_size": 3}, "7 -> 3")


@case("adaptive_max_pool2d_5x7to4x3")
def _():
    return unary_spec("adaptive_max_pool2d", distinct_randn(2, 2, 5, 7), {"output_size": [4, 3]}, "5x7 -> 4x3")


@case("adaptive_max_pool3d_0")
def _():
    return unary_spec("adaptive_max_pool3d", distinct_randn(1, 2, 5, 7, 6), {"output_size": [4, 3, 4]},
                      "5x7x6 -> 4x3x4")


# lp_pool is avg_pool of x**p, times the kernel area, to the power 1/p. For an
# odd p a window whose sum of x**p is negative gives NaN (PyTorch does not take
# |x|), so the norm_type 3 cases use positive inputs (|randn| + 0.1).


@case("lp_pool1d_p2")
def _():
    return unary_spec("lp_pool1d", randn(2, 3, 9),
                      {"norm_type": 2, "kernel_size": 3, "stride": 2, "ceil_mode": False},
                      "norm_type 2, kernel 3, stride 2")


@case("lp_pool1d_p3")
def _():
    return unary_spec("lp_pool1d", randn(2, 3, 8).abs() + 0.1,
                      {"norm_type": 3, "kernel_size": 2, "stride": 2, "ceil_mode": False},
                      "norm_type 3, kernel 2, stride 2 (positive inputs)")


@case("lp_pool2d_p2")
def _():
    return unary_spec("lp_pool2d", randn(1, 2, 6, 7),
                      {"norm_type": 2, "kernel_size": 2, "stride": 2, "ceil_mode": False},
                      "norm_type 2, kernel 2, stride 2 (odd width: last column dropped)")


@case("lp_pool2d_p3")
def _():
    return unary_spec("lp_pool2d", randn(1, 2, 6, 7).abs() + 0.1,
                      {"norm_type": 3, "kernel_size": [3, 2], "stride": [2, 1], "ceil_mode": False},
                      "norm_type 3, kernel (3, 2), stride (2, 1) (positive inputs)")


# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------


def batch_norm_train_spec(x_shape, momentum, covers) -> Spec:
    c = x_shape[1]
    inputs = {"x": randn(*x_shape), "weight": randn(c), "bias": randn(c),
              "running_mean": randn(c), "running_var": torch.rand(c) + 0.5}
    attrs = {"training": True, "momentum": momentum, "eps": 1e-5}

    def forward(x, weight, bias, running_mean, running_var):
        # running_mean / running_var are updated in place (float64 copies)
        return F.batch_norm(x, running_mean, running_var, weight, bias,
                            training=True, momentum=momentum, eps=1e-5)

    return Spec("batch_norm", attrs, inputs, forward, ["x", "weight", "bias"], covers,
                state_after=["running_mean", "running_var"])


@case("batch_norm_train_1d")
def _():
    return batch_norm_train_spec((4, 3, 5), 0.1, "3-D (N, C, L) input, training, momentum 0.1, state_after")


@case("batch_norm_train_3d")
def _():
    return batch_norm_train_spec((2, 3, 3, 4, 3), 0.3, "5-D input, training, momentum 0.3, state_after")


@case("batch_norm_train_2d_m0.3")
def _():
    return batch_norm_train_spec((3, 2, 4, 4), 0.3, "4-D input, training, momentum 0.3, state_after")


@case("instance_norm_1d")
def _():
    inputs = {"x": randn(2, 3, 6), "weight": randn(3), "bias": randn(3)}
    return Spec("instance_norm", {"eps": 1e-3}, inputs,
                lambda x, weight, bias: F.instance_norm(x, weight=weight, bias=bias, eps=1e-3),
                ["x", "weight", "bias"], "3-D (N, C, L) input with weight/bias, eps 1e-3")


@case("instance_norm_noaffine")
def _():
    return unary_spec("instance_norm", randn(2, 3, 4, 5), {}, "4-D input without weight/bias")


def group_norm_spec(x_shape, num_groups, covers) -> Spec:
    c = x_shape[1]
    inputs = {"x": randn(*x_shape), "weight": randn(c), "bias": randn(c)}
    attrs = {"num_groups": num_groups, "eps": 1e-3}
    return Spec("group_norm", attrs, inputs,
                lambda x, weight, bias: F.group_norm(x, num_groups, weight, bias, eps=1e-3),
                ["x", "weight", "bias"], covers)


@case("group_norm_g1")
def _():
    return group_norm_spec((2, 4, 3, 3), 1, "num_groups 1 (layer-norm-like over C,H,W), eps 1e-3")


@case("group_norm_gC")
def _():
    return group_norm_spec((2, 4, 3, 3), 4, "num_groups = C = 4 (instance-norm-like), eps 1e-3")


@case("layer_norm_lastdim")
def _():
    inputs = {"x": randn(2, 3, 5), "weight": randn(5), "bias": randn(5)}
    return Spec("layer_norm", {"normalized_shape": [5]}, inputs,
                lambda x, weight, bias: F.layer_norm(x, [5], weight, bias),
                ["x", "weight", "bias"], "normalized_shape = last dim only, with weight/bias")


@case("layer_norm_noaffine")
def _():
    return unary_spec("layer_norm", randn(2, 3, 4), {"normalized_shape": [3, 4]},
                      "normalized_shape [3, 4], no weight/bias (only x)")


@case("local_response_norm_s3")
def _():
    return unary_spec("local_response_norm", randn(2, 5, 3, 3),
                      {"size": 3, "alpha": 0.5, "beta": 0.6, "k": 2.0}, "size 3 (odd), 4-D input")


@case("local_response_norm_s4")
def _():
    return unary_spec("local_response_norm", randn(2, 6, 3, 2),
                      {"size": 4, "alpha": 0.1, "beta": 0.9, "k": 1.5},
                      "size 4 (even: window 2 before, 1 after), 4-D input")


@case("local_response_norm_3d")
def _():
    return unary_spec("local_response_norm", randn(2, 5, 4),
                      {"size": 3, "alpha": 0.2, "beta": 0.75, "k": 1.0}, "size 3 on a 3-D (N, C, L) input")


# ---------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------


@case("act_elu_a0.5")
def _():
    return unary_spec("elu", randn(3, 4, 5), {"alpha": 0.5}, "alpha 0.5")


@case("act_celu_a2")
def _():
    return unary_spec("celu", randn(3, 4, 5), {"alpha": 2.0}, "alpha 2")


@case("act_gelu_tanh")
def _():
    return unary_spec("gelu", randn(3, 4, 5) * 2, {"approximate": "tanh"}, 'approximate "tanh" (x = 2 randn)')


@case("act_softsign")
def _():
    return unary_spec("softsign", randn(3, 4, 5) * 2, {}, "x / (1 + |x|) (x = 2 randn)")


@case("act_prelu_c")
def _():
    inputs = {"x": randn(2, 3, 4, 3), "weight": randn(3) * 0.5}
    return Spec("prelu", {}, inputs, lambda x, weight: F.prelu(x, weight), ["x", "weight"],
                "one slope per channel (weight has C = 3 entries)")


@case("act_prelu_1")
def _():
    inputs = {"x": randn(2, 3, 4, 3), "weight": randn(1) * 0.5}
    return Spec("prelu", {}, inputs, lambda x, weight: F.prelu(x, weight), ["x", "weight"],
                "one shared slope (weight has 1 entry)")


@case("act_leaky_relu_default")
def _():
    return unary_spec("leaky_relu", randn(3, 4, 5), {}, "default negative_slope (0.01)")


@case("act_hardtanh")
def _():
    return unary_spec("hardtanh", randn(3, 4, 5) * 1.5, {"min_val": -0.5, "max_val": 2.0},
                      "min_val -0.5, max_val 2 (x = 1.5 randn)")


@case("act_softplus_b2_t5")
def _():
    return unary_spec("softplus", randn(3, 4, 5) * 3, {"beta": 2.0, "threshold": 5.0},
                      "beta 2, threshold 5: linear where beta*x > 5 (x = 3 randn)")


@case("act_softmax_dim0")
def _():
    return unary_spec("softmax", randn(3, 4, 5), {"dim": 0}, "3-D tensor, dim 0")


@case("act_softmax_dim-1")
def _():
    return unary_spec("softmax", randn(3, 4, 5), {"dim": -1}, "3-D tensor, dim -1")


@case("act_log_softmax_dim0")
def _():
    return unary_spec("log_softmax", randn(3, 4, 5), {"dim": 0}, "3-D tensor, dim 0")


@case("act_log_softmax_dim-1")
def _():
    return unary_spec("log_softmax", randn(3, 4, 5), {"dim": -1}, "3-D tensor, dim -1")


@case("act_silu_wide")
def _():
    return unary_spec("silu", randn(3, 4, 5) * 4, {}, "x = 4 randn (saturated tails)")


@case("act_sigmoid_wide")
def _():
    # torch.sigmoid: F.sigmoid is the same function but warns that it is deprecated
    return unary_spec("sigmoid", randn(3, 4, 5) * 4, {}, "x = 4 randn (saturated tails)", fn=torch.sigmoid)


# ---------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------


def cross_entropy_spec(logits, target, covers, weight=None, ignore_index=None,
                       reduction="mean", label_smoothing=0.0) -> Spec:
    """F.cross_entropy; `logits` first (as in the shared fixtures), then
    `target` (int64 labels or float probabilities), then class `weight`."""
    inputs = {"logits": logits, "target": target}
    if weight is not None:
        inputs["weight"] = weight
    kw = {"reduction": reduction, "label_smoothing": label_smoothing}
    if ignore_index is not None:
        kw["ignore_index"] = ignore_index
    attrs = {"label_smoothing": label_smoothing, "reduction": reduction}
    if ignore_index is not None:
        attrs["ignore_index"] = ignore_index

    def forward(logits, target, weight=None):
        return F.cross_entropy(logits, target, weight=weight, **kw)

    return Spec("cross_entropy", attrs, inputs, forward, ["logits"], covers)


@case("cross_entropy_weight")
def _():
    return cross_entropy_spec(randn(6, 5), labels(5, 6), "class weights, mean (divides by sum of w[target])",
                              weight=positive(5))


@case("cross_entropy_ignore")
def _():
    t = labels(4, 7)
    t[[1, 4]] = -100
    return cross_entropy_spec(randn(7, 4), t, "ignore_index -100 (2 of 7 targets ignored), mean",
                              ignore_index=-100)


@case("cross_entropy_weight_ignore")
def _():
    t = labels(5, 8)
    t[[0, 3, 6]] = 2
    return cross_entropy_spec(randn(8, 5), t, "class weights + ignore_index 2 (a real class), mean",
                              weight=positive(5), ignore_index=2)


@case("cross_entropy_sum")
def _():
    return cross_entropy_spec(randn(6, 4), labels(4, 6), 'reduction "sum"', reduction="sum")


@case("cross_entropy_none")
def _():
    return cross_entropy_spec(randn(6, 4), labels(4, 6), 'reduction "none" (output shape (N,))',
                              reduction="none")


@case("cross_entropy_probs")
def _():
    target = torch.softmax(randn(5, 4), dim=1)
    return cross_entropy_spec(randn(5, 4), target, "probability targets (float, same shape as logits)")


@case("cross_entropy_probs_ls0.2")
def _():
    target = torch.softmax(randn(5, 4), dim=1)
    return cross_entropy_spec(randn(5, 4), target, "probability targets with label_smoothing 0.2",
                              label_smoothing=0.2)


@case("cross_entropy_probs_weight")
def _():
    target = torch.softmax(randn(5, 4), dim=1)
    return cross_entropy_spec(randn(5, 4), target, "probability targets with class weights (mean divides by N)",
                              weight=positive(4))


@case("cross_entropy_weight_ls0.2")
def _():
    return cross_entropy_spec(randn(6, 5), labels(5, 6), "class-index targets, class weights, label_smoothing 0.2",
                              weight=positive(5), label_smoothing=0.2)


@case("cross_entropy_ignore_ls0.1")
def _():
    t = labels(4, 6)
    t[[2, 5]] = -100
    return cross_entropy_spec(randn(6, 4), t, "ignore_index -100 with label_smoothing 0.1",
                              ignore_index=-100, label_smoothing=0.1)


@case("cross_entropy_4d")
def _():
    return cross_entropy_spec(randn(2, 4, 3, 3), labels(4, 2, 3, 3), "4-D logits (N, C, H, W), targets (N, H, W)")


@case("nll_loss_weight")
def _():
    log_probs = torch.log_softmax(randn(6, 5), dim=1)
    inputs = {"log_probs": log_probs, "target": labels(5, 6), "weight": positive(5)}
    return Spec("nll_loss", {"reduction": "mean"}, inputs,
                lambda log_probs, target, weight: F.nll_loss(log_probs, target, weight=weight, reduction="mean"),
                ["log_probs"], "class weights, mean (divides by sum of w[target]); input is log-probabilities")


def pair_loss_spec(op, x, target, attrs, covers) -> Spec:
    """Loss F.<op>(x, target, **attrs) with a gradient for x only."""
    inputs = {"x": x, "target": target}
    f = getattr(F, op)
    return Spec(op, attrs, inputs, lambda x, target: f(x, target, **attrs), ["x"], covers)


@case("mse_loss_sum")
def _():
    return pair_loss_spec("mse_loss", randn(3, 4), randn(3, 4), {"reduction": "sum"}, 'reduction "sum"')


@case("mse_loss_none")
def _():
    return pair_loss_spec("mse_loss", randn(3, 4), randn(3, 4), {"reduction": "none"}, 'reduction "none"')


@case("l1_loss")
def _():
    return pair_loss_spec("l1_loss", randn(3, 5), randn(3, 5), {"reduction": "mean"}, "mean absolute error")


@case("smooth_l1_loss_b0.5")
def _():
    return pair_loss_spec("smooth_l1_loss", randn(4, 5), randn(4, 5), {"reduction": "mean", "beta": 0.5},
                          "beta 0.5 (quadratic below |d| < 0.5, divided by beta)")


@case("huber_loss_d2")
def _():
    return pair_loss_spec("huber_loss", randn(4, 5) * 2, randn(4, 5), {"reduction": "mean", "delta": 2.0},
                          "delta 2 (x = 2 randn so both branches occur)")


@case("binary_cross_entropy_weight")
def _():
    inputs = {"x": torch.sigmoid(randn(4, 3)), "target": torch.rand(4, 3), "weight": positive(4, 3)}
    return Spec("binary_cross_entropy", {"reduction": "mean"}, inputs,
                lambda x, target, weight: F.binary_cross_entropy(x, target, weight=weight, reduction="mean"),
                ["x"], "x = sigmoid(randn) in (0, 1), soft targets, per-element weight; grads for x only")


@case("bce_with_logits_pos_weight_sum")
def _():
    inputs = {"x": randn(4, 3) * 2, "target": torch.rand(4, 3), "pos_weight": positive(3)}
    return Spec("binary_cross_entropy_with_logits", {"reduction": "sum"}, inputs,
                lambda x, target, pos_weight: F.binary_cross_entropy_with_logits(
                    x, target, pos_weight=pos_weight, reduction="sum"),
                ["x"], 'pos_weight per class (last dim), reduction "sum"')


# ---------------------------------------------------------------------------
# Resampling, padding, reshaping
# ---------------------------------------------------------------------------


@case("interpolate_nearest_sf2")
def _():
    return unary_spec("interpolate", randn(1, 2, 3, 4), {"scale_factor": 2.0, "mode": "nearest"},
                      "nearest, scale_factor 2")


@case("interpolate_nearest_sf1.7")
def _():
    # With scale_factor given (recompute_scale_factor unset) the kernel maps
    # dst -> floor(dst / 1.7), not floor(dst * in / out): here they differ.
    return unary_spec("interpolate", randn(1, 2, 5, 7), {"scale_factor": 1.7, "mode": "nearest"},
                      "nearest, scale_factor 1.7: 5x7 -> 8x11, source = floor(dst / 1.7), not dst * in / out")


@case("interpolate_bilinear_down")
def _():
    return unary_spec("interpolate", randn(1, 2, 9, 9), {"size": [4, 4], "mode": "bilinear", "align_corners": False},
                      "bilinear, align_corners False, downscale 9x9 -> 4x4 (no antialias)")


@case("interpolate_bilinear_sf1.7")
def _():
    return unary_spec("interpolate", randn(1, 2, 5, 7),
                      {"scale_factor": 1.7, "mode": "bilinear", "align_corners": False},
                      "bilinear, scale_factor 1.7: 5x7 -> 8x11, source = (dst + 0.5) / 1.7 - 0.5")


@case("interpolate_bicubic_ac_false")
def _():
    return unary_spec("interpolate", randn(1, 2, 4, 5), {"size": [7, 6], "mode": "bicubic", "align_corners": False},
                      "bicubic (A = -0.75), align_corners False, 4x5 -> 7x6")


@case("interpolate_bicubic_ac_true")
def _():
    return unary_spec("interpolate", randn(1, 2, 4, 5), {"size": [7, 6], "mode": "bicubic", "align_corners": True},
                      "bicubic, align_corners True, 4x5 -> 7x6")


@case("interpolate_linear")
def _():
    return unary_spec("interpolate", randn(2, 3, 5), {"size": 8, "mode": "linear", "align_corners": False},
                      "linear on 3-D (N, C, L) input, 5 -> 8")


@case("interpolate_trilinear")
def _():
    return unary_spec("interpolate", randn(1, 2, 3, 4, 3),
                      {"size": [5, 6, 4], "mode": "trilinear", "align_corners": False},
                      "trilinear on 5-D input, 3x4x3 -> 5x6x4")


@case("interpolate_nearest_1d")
def _():
    return unary_spec("interpolate", randn(2, 3, 7), {"size": 10, "mode": "nearest"},
                      "nearest on 3-D input, 7 -> 10")


@case("pad_circular_2d")
def _():
    return unary_spec("pad", randn(1, 2, 4, 5), {"pad": [1, 2, 2, 1], "mode": "circular"}, "circular, 2-D pads")


@case("pad_circular_1d")
def _():
    return unary_spec("pad", randn(2, 3, 5), {"pad": [2, 1], "mode": "circular"}, "circular on 3-D input, 1-D pads")


@case("pad_constant_value")
def _():
    return unary_spec("pad", randn(1, 2, 3, 4), {"pad": [1, 0, 2, 3], "mode": "constant", "value": 0.5},
                      "constant with value 0.5")


@case("pad_replicate_1d")
def _():
    return unary_spec("pad", randn(2, 3, 5), {"pad": [2, 3], "mode": "replicate"}, "replicate on 3-D (N, C, L) input")


@case("pad_reflect_3d")
def _():
    return unary_spec("pad", randn(1, 2, 3, 4, 3), {"pad": [1, 2, 0, 1, 2, 1], "mode": "reflect"},
                      "reflect on 5-D input, 6 pads")


@case("pad_constant_negative")
def _():
    return unary_spec("pad", randn(1, 2, 5, 6), {"pad": [-1, 2, -2, 0], "mode": "constant"},
                      "negative pads crop (left -1, top -2) with constant padding elsewhere")


@case("pixel_shuffle_r3")
def _():
    return unary_spec("pixel_shuffle", randn(1, 18, 2, 3), {"upscale_factor": 3}, "upscale 3: (1,18,2,3) -> (1,2,6,9)")


@case("pixel_unshuffle_2")
def _():
    return unary_spec("pixel_unshuffle", randn(1, 2, 4, 6), {"downscale_factor": 2},
                      "downscale 2: (1,2,4,6) -> (1,8,2,3)")


@case("unfold_k3_d2_p1_s2")
def _():
    return unary_spec("unfold", randn(1, 2, 7, 8), {"kernel_size": 3, "dilation": 2, "padding": 1, "stride": 2},
                      "im2col: kernel 3, dilation 2, padding 1, stride 2 -> (1, 18, 9)")


@case("fold_k3_s2_p1")
def _():
    # Input is an unfolded tensor (N, C * 3 * 3, L) with L = 3 * 3 blocks for a 5x6 output.
    return unary_spec("fold", randn(1, 18, 9),
                      {"output_size": [5, 6], "kernel_size": 3, "dilation": 1, "padding": 1, "stride": 2},
                      "col2im: (1, 18, 9) -> (1, 2, 5, 6), overlapping blocks summed")


@case("linear_nobias")
def _():
    inputs = {"x": randn(3, 2, 5), "weight": randn(4, 5)}
    return Spec("linear", {}, inputs, lambda x, weight: F.linear(x, weight), ["x", "weight"],
                "no bias, 3-D input (3, 2, 5)")


# ---------------------------------------------------------------------------
# Computing and writing the cases
# ---------------------------------------------------------------------------


def save(path: Path, t: torch.Tensor) -> None:
    """Write float tensors as float32, integer tensors as int64."""
    a = t.detach().cpu().numpy()
    a = a.astype(np.int64 if np.issubdtype(a.dtype, np.integer) else np.float32)
    # np.ascontiguousarray would turn a 0-d array (a reduced loss) into shape (1,).
    np.save(path, np.require(a, requirements="C"))


def build_case(name: str, make: Callable[[], Spec], root: Path) -> Spec:
    torch.manual_seed(zlib.crc32(name.encode()))
    spec = make()

    # float64 copies of the float32 inputs; only differentiable ones track grads
    t64: Dict[str, torch.Tensor] = {}
    for k, v in spec.inputs.items():
        assert v.dtype in (torch.float32, torch.int64), (name, k, v.dtype)
        if v.dtype == torch.float32:
            t64[k] = v.double().requires_grad_(k in spec.grads)
        else:
            t64[k] = v.clone()
    out = spec.forward(**t64)

    gout = torch.randn(out.shape, dtype=torch.float32)
    grads = torch.autograd.grad((out * gout.double()).sum(), [t64[k] for k in spec.grads])

    # Sanity checks: finite numbers, float32 forward agrees, optional extra check.
    assert torch.isfinite(out).all(), f"{name}: non-finite output"
    for k, g in zip(spec.grads, grads):
        assert torch.isfinite(g).all(), f"{name}: non-finite grad for {k}"
    with torch.no_grad():
        fresh = {k: v.clone() for k, v in spec.inputs.items()}  # batch_norm mutates its stats
        out32 = spec.forward(**fresh)
        assert out32.shape == out.shape
        assert torch.allclose(out32.double(), out.detach(), rtol=1e-3, atol=1e-4), f"{name}: float32 forward differs"
    if spec.check is not None:
        spec.check({k: v.detach() for k, v in t64.items()}, out.detach())

    d = root / name
    d.mkdir(parents=True)
    for k, v in spec.inputs.items():
        save(d / f"{k}.npy", v)
    save(d / "out.npy", out)
    save(d / "gout.npy", gout)
    for k, g in zip(spec.grads, grads):
        save(d / f"grad_{k}.npy", g)

    meta = {
        "op": spec.op,
        "attrs": spec.attrs,
        "inputs": {k: f"{k}.npy" for k in spec.inputs},
        "output": "out.npy",
        "upstream": "gout.npy",
        "grads": {k: f"grad_{k}.npy" for k in spec.grads},
    }
    if spec.state_after:
        meta["state_after"] = {}
        for k in spec.state_after:
            save(d / f"{k}_after.npy", t64[k])  # updated in place by the forward pass
            meta["state_after"][k] = f"{k}_after.npy"
    # Same layout as the shared fixtures: indent 1, no trailing newline.
    (d / "case.json").write_text(json.dumps(meta, indent=1))

    size = sum(f.stat().st_size for f in d.iterdir())
    assert size < MAX_CASE_BYTES, f"{name}: {size} bytes"
    return spec


README_HEAD = """# Extra PyTorch op fixtures

These cases were generated by `scripts/make-torch-fixtures.py` with PyTorch 1.13 (Debian's
`python3-torch`), in exactly the format of the shared fixtures (`../shared/fixtures/torch/ops/`,
see their README): one folder per case under `ops/` with `case.json` (`op` is the
`torch.nn.functional` name, `attrs` its keyword arguments, `inputs`, `output`, `upstream`,
`grads`, and `state_after` for batch-norm training) and `.npy` files (float32 tensors, int64
class labels). Outputs and gradients were computed in float64 from the float32 inputs, with
`grads[name]` = d(sum(output · gout))/d(input `name`), so fovea should match within about 1e-4
relative. They cover configurations the shared set does not. One convention is ours: conv cases
with `attrs.padding_mode` (`reflect`, `replicate`, `circular`, an `nn.ConvNd` option, not an
`F.convNd` argument) mean `F.convNd(F.pad(x, pads, mode), weight, bias, padding=0, ...)` with
`pads` each spatial `padding` repeated twice, last dimension first, as `nn.ConvNd` does.
`index.json` lists the cases. Regenerate with `/usr/bin/python3 scripts/make-torch-fixtures.py`.

| case | op | covers |
| --- | --- | --- |
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    args = ap.parse_args()

    ops_dir = args.out / "ops"
    if ops_dir.exists():
        shutil.rmtree(ops_dir)
    ops_dir.mkdir(parents=True)

    # Expected for the even-kernel "same" cases; PyTorch pads asymmetrically (1 before, 2 after).
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")
    torch.set_grad_enabled(True)
    rows = []
    for name, make in CASES:
        spec = build_case(name, make, ops_dir)
        rows.append(f"| `{name}` | `{spec.op}` | {spec.covers} |")

    (args.out / "index.json").write_text(json.dumps([f"ops/{n}" for n, _ in CASES], indent=1))
    (args.out / "README.md").write_text(README_HEAD + "\n".join(rows) + "\n")
    print(f"wrote {len(CASES)} cases to {ops_dir}")


if __name__ == "__main__":
    main()
