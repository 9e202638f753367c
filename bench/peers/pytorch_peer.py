"""PyTorch side of fovea's benchmark (bench/peers/pytorch.ts starts it).

Reads one JSON message a line on stdin and answers one JSON line on stdout:
  (on start)                   -> {"torch": version, "threads": n, "blas": library} or {"error": why}
  {"prepare": workload, "inputs": {name: {"file", "dtype", "shape"}}}  -> {"ok": true} or {"error": why}
  {"run": true}                                -> {"ms": milliseconds of one run, timed here}
The workload is bench/workload.ts's Workload as JSON; inputs are raw little-endian arrays.
"""
import itertools
import json
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError as error:
    print(json.dumps({"error": f"cannot import torch: {error}"}), flush=True)
    sys.exit(0)


def load(operand):
    array = np.fromfile(operand["file"], dtype=operand["dtype"]).reshape(operand["shape"])
    return torch.from_numpy(array)


def layer(spec):
    kind = spec["type"]
    if kind == "conv2d":
        return nn.Conv2d(spec["inChannels"], spec["outChannels"], spec["kernel"])
    if kind == "relu":
        return nn.ReLU()
    if kind == "maxpool2d":
        return nn.MaxPool2d(spec["kernel"])
    if kind == "dropout":
        return nn.Dropout(spec["p"])
    if kind == "flatten":
        return nn.Flatten()
    if kind == "linear":
        return nn.Linear(spec["inFeatures"], spec["outFeatures"])
    raise ValueError(f"unknown layer {kind}")


def cnn(spec):
    return nn.Sequential(*[layer(s) for s in spec["layers"]])


def runner(task, inputs):
    """A function that runs the task once."""
    kind = task["kind"]
    if kind == "sgemm":
        a, b = inputs["a"], inputs["b"]
        return lambda: torch.mm(a, b)
    if kind == "conv2d":
        x, weight = inputs["x"], inputs["weight"]
        padding, groups = task["padding"], task["groups"]

        def conv():
            with torch.no_grad():
                F.conv2d(x, weight, padding=padding, groups=groups)

        return conv
    if kind == "cnn-train":
        model = cnn(task["cnn"]).train()
        optimizer = torch.optim.Adam(model.parameters(), lr=task["learningRate"])
        images = inputs["images"].split(task["batch"])
        labels = inputs["labels"].long().split(task["batch"])
        steps = itertools.count()

        def train_step():
            i = next(steps) % len(images)
            optimizer.zero_grad()
            F.cross_entropy(model(images[i]), labels[i]).backward()
            optimizer.step()

        return train_step
    if kind == "cnn-infer":
        model = cnn(task["cnn"]).eval()
        images = inputs["images"]

        def infer():
            with torch.no_grad():
                model(images)

        return infer
    raise ValueError(f"unknown task {kind}")


def blas_library():
    """The BLAS library file torch.mm loaded (Linux), e.g. reference BLAS or OpenBLAS."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    try:
        with open("/proc/self/maps") as maps:
            files = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return "unknown"
    return ", ".join(sorted(files)) or "none loaded"


def reply(message):
    print(json.dumps(message), flush=True)


def main():
    torch.set_num_threads(int(sys.argv[1]))
    reply({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()})
    run = None
    for line in sys.stdin:
        message = json.loads(line)
        try:
            if "prepare" in message:
                inputs = {name: load(operand) for name, operand in message["inputs"].items()}
                run = runner(message["prepare"]["task"], inputs)
                reply({"ok": True})
            else:
                start = time.perf_counter()
                run()
                reply({"ms": (time.perf_counter() - start) * 1000})
        except Exception as error:  # reported to the table as "cannot"
            reply({"error": f"{type(error).__name__}: {error}"})


main()
