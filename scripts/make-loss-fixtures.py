#!/usr/bin/env python3
"""Reference numbers for fovea's embedding losses, distances and sigmoid focal loss.

Writes test/fixtures/losses-metrics/losses.json: a list of cases, each

    {"name": str, "op": fovea function name, "options": fovea options (camelCase),
     "inputs": [{"name": str, "shape": [...], "data": [...], "grad": bool}],
     "output": {"shape": [...], "data": [...]},
     "upstream": [...],                 # d loss / d output, shaped like the output
     "grads": {input name: [...]}}      # d(sum(output * upstream)) / d input

Everything runs in float64, so fovea (in float64) should agree to ~1e-12.
torchvision is not installed beside Debian's PyTorch, so `sigmoid_focal_loss`
below writes out torchvision.ops.sigmoid_focal_loss (0.14) line for line.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 scripts/make-loss-fixtures.py
"""

import json
import sys
import zlib
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - environment problem, not a bug
    sys.exit("PyTorch not found: run with Debian's /usr/bin/python3 (python3-torch)")

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "losses-metrics" / "losses.json"
D = torch.float64


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss, as torchvision 0.14 defines it."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


cases = []


def case(name, op, options, inputs, fn):
    """Records fn(*inputs); `inputs` maps a name to (tensor, differentiable)."""
    torch.manual_seed(zlib.crc32(name.encode()))
    leaves = {k: (t.detach().clone().requires_grad_(g) if g else t) for k, (t, g) in inputs.items()}
    out = fn(*leaves.values())
    upstream = torch.randn(out.shape, dtype=D)
    (out * upstream).sum().backward()
    cases.append(
        {
            "name": name,
            "op": op,
            "options": options,
            "inputs": [
                {"name": k, "shape": list(t.shape), "data": flat(t), "grad": g}
                for k, (t, g) in inputs.items()
            ],
            "output": {"shape": list(out.shape), "data": flat(out)},
            "upstream": flat(upstream),
            "grads": {k: flat(leaves[k].grad) for k, (_, g) in inputs.items() if g},
        }
    )


def randn(*shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=D)


# pairwise_distance: norms 1, 2, 3, ∞; keepdim; broadcasting; eps 0.
x1, x2 = randn(4, 5, seed=1), randn(4, 5, seed=2)
case("pairwise_distance_p2", "pairwiseDistance", {}, {"x1": (x1, True), "x2": (x2, True)},
     lambda a, b: F.pairwise_distance(a, b))
case("pairwise_distance_p1_keepdim", "pairwiseDistance", {"p": 1, "keepdim": True},
     {"x1": (x1, True), "x2": (x2, True)}, lambda a, b: F.pairwise_distance(a, b, p=1, keepdim=True))
case("pairwise_distance_p3_eps0", "pairwiseDistance", {"p": 3, "eps": 0},
     {"x1": (x1, True), "x2": (x2, True)}, lambda a, b: F.pairwise_distance(a, b, p=3, eps=0))
case("pairwise_distance_pinf", "pairwiseDistance", {"p": "Infinity"},
     {"x1": (x1, True), "x2": (x2, True)}, lambda a, b: F.pairwise_distance(a, b, p=float("inf")))
case("pairwise_distance_broadcast", "pairwiseDistance", {},
     {"x1": (x1, True), "x2": (randn(1, 5, seed=3), True)}, lambda a, b: F.pairwise_distance(a, b))
case("pairwise_distance_p0.5", "pairwiseDistance", {"p": 0.5},
     {"x1": (x1, True), "x2": (x2, True)}, lambda a, b: F.pairwise_distance(a, b, p=0.5))

# cosine_similarity: default dim 1; broadcasting (norms after expansion); dim −1; a zero vector.
zero_row = randn(3, 4, seed=4)
zero_row[1] = 0
case("cosine_similarity_dim1", "cosineSimilarity", {}, {"x1": (x1, True), "x2": (x2, True)},
     lambda a, b: F.cosine_similarity(a, b))
case("cosine_similarity_broadcast", "cosineSimilarity", {},
     {"x1": (randn(3, 1, seed=5), True), "x2": (randn(3, 4, seed=6), True)},
     lambda a, b: F.cosine_similarity(a, b))
case("cosine_similarity_dim_last_3d", "cosineSimilarity", {"dim": -1, "eps": 1e-6},
     {"x1": (randn(2, 3, 4, seed=7), True), "x2": (randn(2, 3, 4, seed=8), True)},
     lambda a, b: F.cosine_similarity(a, b, dim=-1, eps=1e-6))
case("cosine_similarity_zero_vector", "cosineSimilarity", {},
     {"x1": (zero_row, True), "x2": (randn(3, 4, seed=9), True)},
     lambda a, b: F.cosine_similarity(a, b))

# triplet_margin_loss: reductions, p, swap, margin, one triplet, broadcasting.
a, p, n = randn(6, 4, seed=10), randn(6, 4, seed=11), randn(6, 4, seed=12)

def margin_gap(inputs, margin, p=2.0, swap=False):
    """Smallest |margin + d(a, p) − d(a, n)| over the triplets: the distance from the kink."""
    xa, xp, xn = [t for t, _ in inputs.values()]
    dp, dn = F.pairwise_distance(xa, xp, p=p), F.pairwise_distance(xa, xn, p=p)
    if swap:
        dn = torch.minimum(dn, F.pairwise_distance(xp, xn, p=p))
    return float((margin + dp - dn).abs().min())


triplets = {"anchor": (a, True), "positive": (p, True), "negative": (n, True)}
for name, options, kwargs in [
    ("triplet_mean", {}, {}),
    ("triplet_sum_p1_swap", {"p": 1, "swap": True, "reduction": "sum"},
     {"p": 1.0, "swap": True, "reduction": "sum"}),
    ("triplet_none_margin0.5", {"margin": 0.5, "reduction": "none"},
     {"margin": 0.5, "reduction": "none"}),
    ("triplet_pinf_swap_none", {"p": "Infinity", "swap": True, "reduction": "none"},
     {"p": float("inf"), "swap": True, "reduction": "none"}),
]:
    assert margin_gap(triplets, kwargs.get("margin", 1.0), kwargs.get("p", 2.0),
                      kwargs.get("swap", False)) > 1e-3, name
    case(name, "tripletMarginLoss", options, triplets,
         lambda *xs, kw=kwargs: F.triplet_margin_loss(*xs, **kw))
one = {"anchor": (randn(4, seed=13), True), "positive": (randn(4, seed=14), True),
       "negative": (randn(4, seed=15), True)}
assert margin_gap(one, 1.0) > 1e-3
case("triplet_single_1d", "tripletMarginLoss", {}, one, lambda *xs: F.triplet_margin_loss(*xs))
shared_negative = dict(triplets, negative=(randn(1, 4, seed=16), True))
assert margin_gap(shared_negative, 1.0) > 1e-3
case("triplet_broadcast_negative", "tripletMarginLoss", {"reduction": "none"}, shared_negative,
     lambda *xs: F.triplet_margin_loss(*xs, reduction="none"))

# cosine_embedding_loss: y ±1 (float or int), margins, reductions, one pair.
y = torch.tensor([1, -1, -1, 1, -1, 1], dtype=D)
pairs = {"x1": (randn(6, 4, seed=17), True), "x2": (randn(6, 4, seed=18), True), "y": (y, False)}


def cos_gap(inputs, margin):
    u, v, t = [x for x, _ in inputs.values()]
    c = F.cosine_similarity(u, v, dim=-1)
    return float((c - margin)[t == -1].abs().min())


for name, options, kwargs in [
    ("cosine_embedding_mean", {}, {}),
    ("cosine_embedding_margin0.2_none", {"margin": 0.2, "reduction": "none"},
     {"margin": 0.2, "reduction": "none"}),
    ("cosine_embedding_margin-0.3_sum", {"margin": -0.3, "reduction": "sum"},
     {"margin": -0.3, "reduction": "sum"}),
]:
    assert cos_gap(pairs, kwargs.get("margin", 0.0)) > 1e-3, name
    case(name, "cosineEmbeddingLoss", options, pairs,
         lambda u, v, t, kw=kwargs: F.cosine_embedding_loss(u, v, t, **kw))
single = {"x1": (randn(5, seed=19), True), "x2": (randn(5, seed=20), True),
          "y": (torch.tensor(-1, dtype=D), False)}
assert cos_gap({k: (v.unsqueeze(0), g) for k, (v, g) in single.items()}, 0.0) > 1e-3
case("cosine_embedding_single_1d", "cosineEmbeddingLoss", {}, single,
     lambda u, v, t: F.cosine_embedding_loss(u, v, t))

# sigmoid focal loss (torchvision's formula): defaults, no alpha, soft targets, reductions.
logits = randn(4, 3, seed=21) * 2
hard = (torch.rand(4, 3, generator=torch.Generator().manual_seed(22)) > 0.6).to(D)
soft = torch.rand(4, 3, generator=torch.Generator().manual_seed(23), dtype=D)
case("sigmoid_focal_default_none", "sigmoidFocalLoss", {},
     {"logits": (logits, True), "targets": (hard, False)}, lambda x, t: sigmoid_focal_loss(x, t))
case("sigmoid_focal_no_alpha_gamma0_mean", "sigmoidFocalLoss",
     {"alpha": -1, "gamma": 0, "reduction": "mean"},
     {"logits": (logits, True), "targets": (hard, False)},
     lambda x, t: sigmoid_focal_loss(x, t, alpha=-1, gamma=0, reduction="mean"))
case("sigmoid_focal_soft_gamma1.5_alpha0.6_sum", "sigmoidFocalLoss",
     {"alpha": 0.6, "gamma": 1.5, "reduction": "sum"},
     {"logits": (logits, True), "targets": (soft, True)},
     lambda x, t: sigmoid_focal_loss(x, t, alpha=0.6, gamma=1.5, reduction="sum"))

OUT.parent.mkdir(parents=True, exist_ok=True)
text = json.dumps({"torch": torch.__version__, "cases": cases}, separators=(",", ":"))
assert len(text) < 100_000, f"fixture too large: {len(text)} bytes"
OUT.write_text(text + "\n")
print(f"wrote {len(cases)} cases, {len(text)} bytes, to {OUT}")
