#!/usr/bin/env python3
"""Generate PyTorch reference numbers for fovea's optimizers, LR schedules and gradient clipping.

Writes three small JSON files to test/fixtures/optim/ (read by test/optim/*.test.ts):

optimizers.json
    {"problem": {"shapes", "init", "a", "c"}, "cases": [...]}

    A fixed problem of two parameters (shapes [2,3] and [3]) whose gradient at every step is
    g = a * (p - c), elementwise (the gradient of 0.5 * sum(a * (p - c)^2)). Each case names an
    optimizer, its options in fovea's camelCase spelling ("options"), optionally parameter groups
    ("groups": [{"params": [parameter indices], ...overrides}]) and a dtype, and lists the
    parameters (flattened, row-major) after each of 10 steps. The same case is written once in
    float32 and once in float64: fovea must match float32 within 1e-6 relative and float64 far
    tighter, which catches formula slips (such as where eps sits) that float32 rounding would hide.

schedules.json
    {"cases": [...]}: an optimizer spec, a scheduler spec (type and camelCase options; a
    SequentialLR holds its children), the number of steps, the learning rate of every group after
    construction and after each step ("lrs"), the momentum (SGD) or beta1 (Adam) of every group
    at the same points ("momenta", which OneCycleLR cycles), and for ReduceLROnPlateau the metric
    passed to each step ("metrics").

clip.json
    {"grads": [...], "shapes": [...], "cases": [...]}: fixed float32 gradients of three parameters
    (plus a fourth parameter without a gradient), and for each clipping call the returned total
    norm (clip_grad_norm_) and the gradients afterwards.

Run with Debian's PyTorch 1.13 (package python3-torch):

    /usr/bin/python3 scripts/make-optim-fixtures.py
"""

import json
import sys
import warnings
from pathlib import Path

try:
    import torch
except ImportError:  # pragma: no cover - environment problem, not a bug
    sys.exit("PyTorch not found: run with Debian's /usr/bin/python3 (python3-torch)")

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "test" / "fixtures" / "optim"
STEPS = 10
SCHEDULE_STEPS = 30

# fovea's camelCase option names -> PyTorch's keyword arguments.
TORCH_NAMES = {
    "weightDecay": "weight_decay",
    "lrDecay": "lr_decay",
    "initialAccumulatorValue": "initial_accumulator_value",
    "stepSize": "step_size",
    "TMax": "T_max",
    "T0": "T_0",
    "TMult": "T_mult",
    "etaMin": "eta_min",
    "maxLr": "max_lr",
    "totalSteps": "total_steps",
    "stepsPerEpoch": "steps_per_epoch",
    "pctStart": "pct_start",
    "annealStrategy": "anneal_strategy",
    "cycleMomentum": "cycle_momentum",
    "baseMomentum": "base_momentum",
    "maxMomentum": "max_momentum",
    "divFactor": "div_factor",
    "finalDivFactor": "final_div_factor",
    "threePhase": "three_phase",
    "startFactor": "start_factor",
    "endFactor": "end_factor",
    "totalIters": "total_iters",
    "thresholdMode": "threshold_mode",
    "minLr": "min_lr",
}


def torch_kwargs(options):
    return {TORCH_NAMES.get(k, k): v for k, v in options.items()}


# ---------------------------------------------------------------------------
# Optimizers
# ---------------------------------------------------------------------------

# Every parameter keeps the sign of its target c, and |p0| > |c|: minimising moves p towards c
# (overshoot stays below the distance of c from zero) and maximising moves it away from zero, so
# no value ever passes near zero, where a relative tolerance would mean nothing.
PROBLEM = {
    "shapes": [[2, 3], [3]],
    "c": [[2.5, -3.0, 2.8, -2.6, 3.2, -2.9], [3.1, -2.7, 2.6]],
    "offset": [[0.8, -1.1, 0.5, -0.9, 1.2, -0.7], [1.0, -0.6, 0.9]],
    "a": [[0.5, 1.2, 2.0, 0.8, 1.5, 1.0], [1.8, 0.7, 1.1]],
}

OPTIMIZER_CASES = [
    ("sgd", "SGD", {"lr": 0.1}, None),
    ("sgd_momentum", "SGD", {"lr": 0.1, "momentum": 0.9}, None),
    ("sgd_momentum_dampening", "SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, None),
    ("sgd_nesterov_weight_decay", "SGD",
     {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.1}, None),
    ("sgd_maximize", "SGD",
     {"lr": 0.02, "momentum": 0.5, "weightDecay": 0.01, "maximize": True}, None),
    ("adam_defaults", "Adam", {}, None),
    ("adam", "Adam", {"lr": 0.1}, None),
    ("adam_amsgrad_weight_decay", "Adam",
     {"lr": 0.1, "betas": [0.8, 0.9], "amsgrad": True, "weightDecay": 0.1}, None),
    ("adam_maximize_eps", "Adam", {"lr": 0.05, "eps": 0.1, "maximize": True}, None),
    ("adamw", "AdamW", {"lr": 0.1, "weightDecay": 0.1}, None),
    ("adamw_amsgrad", "AdamW", {"lr": 0.1, "betas": [0.5, 0.7], "amsgrad": True}, None),
    ("rmsprop_defaults", "RMSprop", {}, None),
    ("rmsprop", "RMSprop", {"lr": 0.05, "alpha": 0.9}, None),
    ("rmsprop_centered_momentum", "RMSprop",
     {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "weightDecay": 0.1, "momentum": 0.9,
      "centered": True}, None),
    ("rmsprop_maximize_momentum", "RMSprop",
     {"lr": 0.01, "momentum": 0.5, "maximize": True}, None),
    ("adagrad", "Adagrad", {"lr": 0.1}, None),
    ("adagrad_lr_decay", "Adagrad",
     {"lr": 0.5, "lrDecay": 0.1, "initialAccumulatorValue": 0.5, "weightDecay": 0.05,
      "eps": 1e-3}, None),
    ("adagrad_maximize", "Adagrad", {"lr": 0.1, "maximize": True, "weightDecay": 0.1}, None),
    ("sgd_two_groups", "SGD", {"lr": 0.1, "momentum": 0.9},
     [{"params": [0], "lr": 0.01}, {"params": [1], "momentum": 0.5, "nesterov": True}]),
    ("adamw_two_groups", "AdamW", {"lr": 1e-2},
     [{"params": [0], "lr": 1e-3, "weightDecay": 0.0}, {"params": [1], "amsgrad": True}]),
]


def run_optimizer(kind, options, groups, dtype):
    shapes = PROBLEM["shapes"]
    params = [
        torch.tensor([c + o for c, o in zip(cs, os)], dtype=dtype).reshape(shape).requires_grad_()
        for cs, os, shape in zip(PROBLEM["c"], PROBLEM["offset"], shapes)
    ]
    a = [torch.tensor(v, dtype=dtype).reshape(s) for v, s in zip(PROBLEM["a"], shapes)]
    c = [torch.tensor(v, dtype=dtype).reshape(s) for v, s in zip(PROBLEM["c"], shapes)]
    if groups is None:
        spec = params
    else:
        spec = [{**torch_kwargs({k: v for k, v in g.items() if k != "params"}),
                 "params": [params[i] for i in g["params"]]} for g in groups]
    kwargs = torch_kwargs(options)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    opt = getattr(torch.optim, kind)(spec, **kwargs)
    history = []
    for _ in range(STEPS):
        for p, ai, ci in zip(params, a, c):
            p.grad = ai * (p.detach() - ci)
        opt.step()
        history.append([p.detach().flatten().tolist() for p in params])
    return history


def optimizer_fixtures():
    cases = []
    for name, kind, options, groups in OPTIMIZER_CASES:
        for dtype, dname in ((torch.float32, "float32"), (torch.float64, "float64")):
            case = {"name": f"{name}_{dname}", "optimizer": kind, "options": options,
                    "dtype": dname, "steps": run_optimizer(kind, options, groups, dtype)}
            if groups is not None:
                case["groups"] = groups
            cases.append(case)
    problem = {
        "shapes": PROBLEM["shapes"],
        "init": [[c + o for c, o in zip(cs, os)] for cs, os in zip(PROBLEM["c"], PROBLEM["offset"])],
        "a": PROBLEM["a"],
        "c": PROBLEM["c"],
    }
    return {"problem": problem, "cases": cases}


# ---------------------------------------------------------------------------
# LR schedules
# ---------------------------------------------------------------------------

SGD_TWO_GROUPS = {"type": "SGD", "lrs": [0.1, 0.01], "options": {"momentum": 0.9}}
ADAM_TWO_GROUPS = {"type": "Adam", "lrs": [1e-3, 2e-3], "options": {}}

PLATEAU_METRICS = [1.0, 0.9, 0.8, 0.8, 0.795, 0.81, 0.7, 0.7, 0.7, 0.7, 0.69, 0.71, 0.72, 0.6,
                   0.6, 0.6, 0.6, 0.6, 0.5, 0.55, 0.56, 0.57, 0.58, 0.4, 0.4, 0.4, 0.4, 0.4,
                   0.39, 0.41]
PLATEAU_ACCURACY = [0.5, 0.6, 0.62, 0.63, 0.61, 0.7, 0.7, 0.72, 0.69, 0.8, 0.8, 0.8, 0.81, 0.9,
                    0.9, 0.91, 0.9, 0.95, 0.95, 0.95, 0.96, 0.94, 0.97, 0.97, 0.97, 0.98, 0.97,
                    0.97, 0.99, 0.99]

SCHEDULE_CASES = [
    ("step", SGD_TWO_GROUPS, {"type": "StepLR", "options": {"stepSize": 7, "gamma": 0.5}}),
    ("multi_step", SGD_TWO_GROUPS,
     {"type": "MultiStepLR", "options": {"milestones": [5, 12, 12, 20], "gamma": 0.3}}),
    ("exponential", SGD_TWO_GROUPS, {"type": "ExponentialLR", "options": {"gamma": 0.9}}),
    ("cosine", SGD_TWO_GROUPS,
     {"type": "CosineAnnealingLR", "options": {"TMax": 10, "etaMin": 0.001}}),
    ("cosine_eta_zero", ADAM_TWO_GROUPS, {"type": "CosineAnnealingLR", "options": {"TMax": 7}}),
    ("warm_restarts_mult", SGD_TWO_GROUPS,
     {"type": "CosineAnnealingWarmRestarts", "options": {"T0": 3, "TMult": 2, "etaMin": 0.001}}),
    ("warm_restarts", ADAM_TWO_GROUPS,
     {"type": "CosineAnnealingWarmRestarts", "options": {"T0": 7}}),
    ("one_cycle_sgd", SGD_TWO_GROUPS,
     {"type": "OneCycleLR", "options": {"maxLr": 0.5, "totalSteps": 30}}),
    ("one_cycle_adam_linear", ADAM_TWO_GROUPS,
     {"type": "OneCycleLR",
      "options": {"maxLr": [0.01, 0.02], "epochs": 3, "stepsPerEpoch": 10,
                  "annealStrategy": "linear", "pctStart": 0.25, "divFactor": 10.0,
                  "finalDivFactor": 100.0, "baseMomentum": 0.8, "maxMomentum": 0.9}}),
    ("one_cycle_three_phase", SGD_TWO_GROUPS,
     {"type": "OneCycleLR",
      "options": {"maxLr": [1.0, 0.1], "totalSteps": 40, "threePhase": True, "pctStart": 0.2,
                  "baseMomentum": [0.8, 0.85], "maxMomentum": [0.9, 0.99]}}),
    ("one_cycle_no_momentum", ADAM_TWO_GROUPS,
     {"type": "OneCycleLR", "options": {"maxLr": 0.01, "totalSteps": 35, "cycleMomentum": False}}),
    ("linear_warmup", SGD_TWO_GROUPS,
     {"type": "LinearLR", "options": {"startFactor": 0.1, "totalIters": 8}}),
    ("linear_decay", ADAM_TWO_GROUPS,
     {"type": "LinearLR", "options": {"startFactor": 1.0, "endFactor": 0.2, "totalIters": 10}}),
    ("linear_defaults", SGD_TWO_GROUPS, {"type": "LinearLR", "options": {}}),
    ("warmup_then_cosine", SGD_TWO_GROUPS,
     {"type": "SequentialLR", "options": {"milestones": [5]},
      "schedulers": [
          {"type": "LinearLR", "options": {"startFactor": 0.1, "totalIters": 5}},
          {"type": "CosineAnnealingLR", "options": {"TMax": 25, "etaMin": 1e-4}}]}),
    ("sequential_three", ADAM_TWO_GROUPS,
     {"type": "SequentialLR", "options": {"milestones": [6, 15]},
      "schedulers": [
          {"type": "ExponentialLR", "options": {"gamma": 0.9}},
          {"type": "StepLR", "options": {"stepSize": 4, "gamma": 0.5}},
          {"type": "LinearLR", "options": {"startFactor": 0.5, "endFactor": 0.1, "totalIters": 6}}]}),
    ("sequential_restarts", SGD_TWO_GROUPS,
     {"type": "SequentialLR", "options": {"milestones": [5, 18]},
      "schedulers": [
          {"type": "MultiStepLR", "options": {"milestones": [2], "gamma": 0.5}},
          {"type": "CosineAnnealingWarmRestarts", "options": {"T0": 4, "TMult": 2, "etaMin": 0.001}},
          {"type": "OneCycleLR", "options": {"maxLr": 0.3, "totalSteps": 12}}]}),
    ("plateau_min_rel", SGD_TWO_GROUPS,
     {"type": "ReduceLROnPlateau",
      "options": {"patience": 2, "factor": 0.5, "cooldown": 1, "threshold": 0.01,
                  "minLr": [0.01, 0.004]}},
     PLATEAU_METRICS),
    ("plateau_max_abs", ADAM_TWO_GROUPS,
     {"type": "ReduceLROnPlateau",
      "options": {"mode": "max", "thresholdMode": "abs", "threshold": 0.005, "patience": 1,
                  "factor": 0.3, "minLr": 1e-5}},
     PLATEAU_ACCURACY),
    ("plateau_cooldown", ADAM_TWO_GROUPS,
     {"type": "ReduceLROnPlateau",
      "options": {"patience": 1, "cooldown": 2, "factor": 0.5, "minLr": 1e-5}}, [1.0] * 30),
    ("plateau_defaults", SGD_TWO_GROUPS,
     {"type": "ReduceLROnPlateau", "options": {}}, [1.0] * 30),
]


def make_scheduler(opt, spec):
    cls = getattr(torch.optim.lr_scheduler, spec["type"])
    kwargs = torch_kwargs(spec["options"])
    if spec["type"] == "SequentialLR":
        children = [make_scheduler(opt, child) for child in spec["schedulers"]]
        return cls(opt, children, **kwargs)
    return cls(opt, **kwargs)


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def run_schedule(opt_spec, sched_spec, metrics):
    params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, opt_spec["lrs"])]
    opt = getattr(torch.optim, opt_spec["type"])(groups, **opt_spec["options"])
    sched = make_scheduler(opt, sched_spec)
    lrs = [[g["lr"] for g in opt.param_groups]]
    moms = [momenta(opt)]
    for i in range(SCHEDULE_STEPS):
        opt.step()  # no gradients: only keeps PyTorch's call-order check quiet
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        lrs.append([g["lr"] for g in opt.param_groups])
        moms.append(momenta(opt))
    return {"lrs": lrs, "momenta": moms}


def schedule_fixtures():
    cases = []
    for entry in SCHEDULE_CASES:
        name, opt_spec, sched_spec = entry[:3]
        metrics = entry[3] if len(entry) > 3 else None
        case = {"name": name, "optimizer": opt_spec, "scheduler": sched_spec,
                "steps": SCHEDULE_STEPS}
        if metrics is not None:
            case["metrics"] = metrics
        case.update(run_schedule(opt_spec, sched_spec, metrics))
        cases.append(case)
    return {"cases": cases}


# ---------------------------------------------------------------------------
# Gradient clipping
# ---------------------------------------------------------------------------

CLIP_SHAPES = [[2, 3], [4], [1, 2, 2]]
CLIP_CASES = [
    ("norm_2", "norm", {"maxNorm": 1.0}),
    ("norm_2_no_clip", "norm", {"maxNorm": 100.0}),
    ("norm_1", "norm", {"maxNorm": 2.0, "normType": 1.0}),
    ("norm_3", "norm", {"maxNorm": 0.5, "normType": 3.0}),
    ("norm_inf", "norm", {"maxNorm": 0.25, "normType": "inf"}),
    ("value", "value", {"clipValue": 0.3}),
]


def clip_fixtures():
    gen = torch.Generator().manual_seed(7)
    grads = [torch.randn(s, generator=gen) for s in CLIP_SHAPES]
    cases = []
    for name, kind, options in CLIP_CASES:
        params = [torch.zeros(s, requires_grad=True) for s in CLIP_SHAPES]
        params.append(torch.zeros(2, requires_grad=True))  # never gets a gradient
        for p, g in zip(params, grads):
            p.grad = g.clone()
        case = {"name": name, "kind": kind, "options": options}
        if kind == "norm":
            norm_type = float("inf") if options.get("normType") == "inf" else options.get("normType", 2.0)
            total = torch.nn.utils.clip_grad_norm_(params, options["maxNorm"], norm_type)
            case["totalNorm"] = total.item()
        else:
            torch.nn.utils.clip_grad_value_(params, options["clipValue"])
        case["grads"] = [p.grad.flatten().tolist() for p in params[:3]]
        cases.append(case)
    return {"shapes": CLIP_SHAPES, "grads": [g.flatten().tolist() for g in grads], "cases": cases}


def main():
    warnings.simplefilter("ignore")  # SequentialLR's epoch-argument deprecation notice
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("optimizers", optimizer_fixtures()), ("schedules", schedule_fixtures()),
                       ("clip", clip_fixtures())):
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(data, indent=None, separators=(",", ":")) + "\n")
        print(f"{path.relative_to(REPO)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
