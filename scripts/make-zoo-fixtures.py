#!/usr/bin/env python3
"""Generate the PyTorch reference for fovea's model zoo (test/nn/zoo.test.ts).

For each case (a zoo model name and its options, as fovea's createModel takes them) this
builds the same architecture in PyTorch -- torchvision's resnet18/34 and mobilenet_v2 where
they exist, the others written out below -- and writes test/fixtures/zoo/<case>.json:

    {"name": zoo name, "options": fovea options,
     "numParameters": total trainable parameters,
     "parameters": [[state_dict key, shape], ...],
     "buffers":    [[state_dict key, shape], ...],
     "runs": [{"input": shape, "output": shape, "values": flat output}]}

Each run fills every parameter and buffer with a deterministic formula (`fill_state` below;
the TypeScript test uses the same formula), feeds the input x[i] = sin(0.1 * i + 0.5) in eval
mode, and stores PyTorch's output, so the test checks the forward computation of each model,
not just its shapes, without storing any weights.

Run with Debian's PyTorch 1.13 and torchvision 0.14 (python3-torch, python3-torchvision):

    /usr/bin/python3 scripts/make-zoo-fixtures.py

The output folder is deleted and rewritten on every run.
"""

import json
import math
import shutil
from pathlib import Path

import torch
import torch.nn as nn
import torchvision

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "zoo"


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class LeNet5(nn.Module):
    def __init__(self, num_classes=10, in_channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 6, 5, padding=2)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.avgpool = nn.AdaptiveAvgPool2d(5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x):
        x = self.pool(self.relu(self.conv1(x)))
        x = self.avgpool(self.pool(self.relu(self.conv2(x))))
        x = self.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc3(self.relu(self.fc2(x)))


def scaled(width, mult):
    return max(1, math.floor(width * mult + 0.5))  # JavaScript's Math.round


class FashionCnn(nn.Module):
    def __init__(self, num_classes=10, in_channels=1, width_mult=1.0, dropout=0.25):
        super().__init__()
        c1, c2, hidden = scaled(32, width_mult), scaled(64, width_mult), scaled(128, width_mult)
        self.features = nn.Sequential(
            *conv_bn_relu(in_channels, c1), nn.MaxPool2d(2), *conv_bn_relu(c1, c2), nn.MaxPool2d(2)
        )
        self.avgpool = nn.AdaptiveAvgPool2d(7)
        self.classifier = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(c2 * 7 * 7, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class SmallVgg(nn.Module):
    def __init__(self, num_classes=10, in_channels=3, width=32, depth=3, convs_per_stage=2,
                 dropout=0.3):
        super().__init__()
        layers, cin = [], in_channels
        for stage in range(depth):
            cout = width * 2**stage
            for _ in range(convs_per_stage):
                layers += conv_bn_relu(cin, cout)
                cin = cout
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(cin, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def double_conv(cin, cout):
    return nn.Sequential(*conv_bn_relu(cin, cout), *conv_bn_relu(cout, cout))


class UNet(nn.Module):
    def __init__(self, in_channels=1, num_classes=2, base_width=64, depth=4):
        super().__init__()
        widths = [base_width * 2**i for i in range(depth + 1)]
        self.encoder = nn.ModuleList(
            [double_conv(in_channels, widths[0])]
            + [double_conv(widths[i - 1], widths[i]) for i in range(1, depth + 1)]
        )
        self.pool = nn.MaxPool2d(2)
        levels = list(reversed(range(depth)))
        self.upsamplers = nn.ModuleList(
            [nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2) for i in levels]
        )
        self.decoder = nn.ModuleList([double_conv(widths[i + 1], widths[i]) for i in levels])
        self.head = nn.Conv2d(widths[0], num_classes, 1)

    def forward(self, x):
        skips = []
        for i, block in enumerate(self.encoder):
            x = block(x if i == 0 else self.pool(x))
            skips.append(x)
        skips.pop()
        for up, block in zip(self.upsamplers, self.decoder):
            x = block(torch.cat([skips.pop(), up(x)], 1))
        return self.head(x)


def resnet(depth, num_classes=1000, in_channels=3, stem="imagenet"):
    model = getattr(torchvision.models, f"resnet{depth}")(num_classes=num_classes)
    if stem == "cifar":
        model.conv1 = nn.Conv2d(in_channels, 64, 3, stride=1, padding=1, bias=False)
        model.maxpool = nn.Identity()
    else:
        model.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
    return model


def mobilenet_v2(num_classes=1000, in_channels=3, width_mult=1.0, dropout=0.2):
    model = torchvision.models.mobilenet_v2(
        num_classes=num_classes, width_mult=width_mult, dropout=dropout
    )
    first = model.features[0][0]
    model.features[0][0] = nn.Conv2d(in_channels, first.out_channels, 3, 2, 1, bias=False)
    return model


def snake(options):
    """fovea's camelCase option names -> Python keyword names."""
    return {"".join("_" + c.lower() if c.isupper() else c for c in k): v for k, v in options.items()}


BUILDERS = {
    "lenet5": LeNet5,
    "fashion_cnn": FashionCnn,
    "small_vgg": SmallVgg,
    "resnet18": lambda **o: resnet(18, **o),
    "resnet34": lambda **o: resnet(34, **o),
    "mobilenet_v2": mobilenet_v2,
    "unet": UNet,
}

# (file name, zoo name, fovea options, input shapes of the numeric runs: small, to keep the
# TypeScript test fast on the reference backend)
CASES = [
    ("lenet5", "lenet5", {}, [[2, 1, 28, 28], [1, 1, 32, 32]]),
    ("lenet5_rgb", "lenet5", {"inChannels": 3, "numClasses": 5}, [[1, 3, 28, 28]]),
    ("fashion_cnn", "fashion_cnn", {}, [[2, 1, 28, 28], [1, 1, 36, 36]]),
    ("fashion_cnn_half", "fashion_cnn", {"widthMult": 0.5, "numClasses": 4}, [[1, 1, 28, 28]]),
    ("small_vgg", "small_vgg", {}, [[2, 3, 32, 32], [1, 3, 48, 40]]),
    (
        "small_vgg_deep",
        "small_vgg",
        {"width": 8, "depth": 4, "convsPerStage": 3, "numClasses": 100, "inChannels": 1},
        [[1, 1, 32, 32]],
    ),
    ("resnet18", "resnet18", {}, [[1, 3, 64, 64]]),
    (
        "resnet18_cifar_grey",
        "resnet18",
        {"stem": "cifar", "numClasses": 10, "inChannels": 1},
        [[1, 1, 16, 16]],
    ),
    ("resnet34", "resnet34", {}, [[1, 3, 32, 32]]),
    ("mobilenet_v2", "mobilenet_v2", {}, [[1, 3, 64, 64]]),
    ("mobilenet_v2_035", "mobilenet_v2", {"widthMult": 0.35, "numClasses": 10}, [[1, 3, 32, 32]]),
    ("mobilenet_v2_wide", "mobilenet_v2", {"widthMult": 1.4, "inChannels": 1}, []),
    ("unet", "unet", {}, []),
    ("unet_small", "unet", {"baseWidth": 4, "depth": 2, "inChannels": 3, "numClasses": 3},
     [[1, 3, 16, 16], [1, 3, 8, 12]]),
]


def key_seed(key):
    return sum(ord(c) for c in key) % 97


def fill_state(model):
    """The deterministic weights shared with test/nn/zoo.test.ts (see fillState there)."""
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if t.dtype == torch.int64:  # num_batches_tracked
                continue
            i = torch.arange(t.numel(), dtype=torch.float64)
            v = torch.sin(0.7 * i + 1.3 * key_seed(key))
            leaf = key.rsplit(".", 1)[1]
            if t.dim() >= 2:  # conv / linear weight: variance 1 / fan-in
                v = v * math.sqrt(2 * t.shape[0] / t.numel())
            elif leaf == "weight":  # batch norm scale
                v = 1 + 0.1 * v
            elif leaf == "running_var":
                v = 1 + 0.5 * v * v
            else:  # biases, running means
                v = 0.1 * v
            t.copy_(v.reshape(t.shape))


def make_input(shape):
    n = math.prod(shape)
    return torch.sin(0.1 * torch.arange(n, dtype=torch.float64) + 0.5).float().reshape(shape)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    for file, name, options, inputs in CASES:
        torch.manual_seed(0)
        model = BUILDERS[name](**snake(options)).eval()
        state = model.state_dict()
        params = dict(model.named_parameters())
        case = {
            "name": name,
            "options": options,
            "numParameters": sum(p.numel() for p in params.values()),
            "parameters": [[k, list(t.shape)] for k, t in state.items() if k in params],
            "buffers": [[k, list(t.shape)] for k, t in state.items() if k not in params],
            "runs": [],
        }
        fill_state(model)
        for shape in inputs:
            with torch.no_grad():
                out = model(make_input(shape))
            values = [float(f"{v:.7g}") for v in out.flatten().tolist()]
            case["runs"].append({"input": shape, "output": list(out.shape), "values": values})
        (OUT / f"{file}.json").write_text(json.dumps(case, separators=(",", ":")) + "\n")
        print(f"{file}: {case['numParameters']:,} parameters, {len(state)} state_dict entries")


if __name__ == "__main__":
    main()
