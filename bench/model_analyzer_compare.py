"""Compare `zoo validate`'s counts with openvinotoolkit/model_analyzer's on real architectures.

Needs a model_analyzer source copy (`--model-analyzer PATH`, the folder holding its
`model_analyzer` package; no package ships it): without one it says so and exits 0. Each model
is constant-folded and saved, then counted by model_analyzer and by us (`model-analyzer`
convention), and compared with Open Model Zoo's published figures where the architecture is
the same. Models: the onnx package's light graphs, architectures built here with the OpenVINO
opset API, and the IRs in `--irs DIR`: `--export-torch DIR`, run by a Python with torch and
openvino, writes ResNet-18, MobileNet-V2, ConvNeXt-T and Swin-T (as torchvision defines them),
a BERT-like encoder, an LSTM and a BiGRU there.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Published by Open Model Zoo (models/public/<name>/README.md, computed with model_analyzer):
# (GFLOPs, MParams) of the models built here with the same architecture and input.
OMZ = {
    "light_resnet50": (8.2164, 25.53),  # resnet-50-caffe2 / resnet-50-tf
    "light_vgg19": (39.3, 143.667),  # vgg19
    "light_densenet121": (5.724, 7.971),  # densenet-121
    "torch_resnet18": (3.637, 11.68),  # resnet-18-pytorch
    "torch_mobilenet_v2": (0.615, 3.489),  # mobilenet-v2-pytorch
    "torch_convnext_tiny": (8.9419, 28.5892),  # convnext-tiny
    "torch_swin_t": (9.0280, 28.8173),  # swin-tiny-patch4-window7-224
}
LIGHT = (
    "light_bvlc_alexnet",
    "light_densenet121",
    "light_inception_v1",
    "light_inception_v2",
    "light_resnet50",
    "light_shufflenet",
    "light_squeezenet",
    "light_vgg19",
    "light_zfnet512",
)


def load_model_analyzer(path: Path) -> Callable[[Path], tuple[float, float, dict[str, float]]]:
    """model_analyzer's counter, as its CLI computes GFLOPs and MParams; its code imports
    `openvino.runtime`, which OpenVINO 2026 no longer has: the same classes live in `openvino`."""
    import openvino
    import openvino.passes

    sys.modules.setdefault("openvino.runtime", openvino)
    sys.modules.setdefault("openvino.runtime.passes", openvino.passes)
    sys.path.insert(0, str(path))
    importlib.import_module("model_analyzer.uncounted_layers")  # registers the 0-cost types
    metadata = importlib.import_module("model_analyzer.model_metadata")
    complexity = importlib.import_module("model_analyzer.model_complexity")

    def count(xml: Path) -> tuple[float, float, dict[str, float]]:
        counter = complexity.ModelComputationalComplexity(
            metadata.ModelMetaData(xml, xml.with_suffix(".bin"))
        )
        gflops, giops = counter.get_total_ops()
        params = counter.get_total_params()["total_params"]
        by_type: dict[str, float] = defaultdict(float)
        for layer in counter._computational_complexity.values():
            by_type[layer["layer_type"]] += max(layer.get("g_flops", 0), 0)
        return gflops + giops, params / 1e6, dict(by_type)

    return count


def light_models() -> Iterator[tuple[str, Callable[[], object]]]:
    import onnx
    import openvino

    folder = Path(onnx.__file__).parent / "backend/test/data/light"
    for name in LIGHT:
        yield name, lambda name=name: openvino.convert_model(folder / f"{name}.onnx")


def opset_models() -> Iterator[tuple[str, Callable[[], object]]]:
    yield "opset_vit_encoder_sdpa", vit_encoder
    yield "opset_convnext_block", convnext_blocks
    yield "opset_depthwise_separable", depthwise_separable
    yield "opset_lstm_sequence", lambda: recurrent("lstm")
    yield "opset_bigru_sequence", lambda: recurrent("gru")


def _weights(*shape: int):
    import numpy as np

    return (np.random.default_rng(sum(shape)).standard_normal(shape) * 0.05).astype(np.float32)


def vit_encoder():
    """ViT-Ti/16 at 224: patch conv, class token, 4 pre-norm layers (MVN, SDPA, erf Gelu)."""
    import numpy as np
    import openvino as ov
    import openvino.opset16 as ops

    width, heads, tokens = 192, 3, 197
    image = ops.parameter([1, 3, 224, 224], np.float32, name="image")
    patches = ops.convolution(image, _weights(width, 3, 16, 16), [16, 16], [0, 0], [0, 0], [1, 1])
    patches = ops.add(patches, _weights(1, width, 1, 1))
    x = ops.transpose(ops.reshape(patches, np.int64([1, width, 196]), False), np.int64([0, 2, 1]))
    x = ops.concat([ops.constant(_weights(1, 1, width)), x], 1)
    x = ops.add(x, _weights(1, tokens, width)).output(0)

    def norm(x):
        normal = ops.mvn(x, np.int64([-1]), True, 1e-6, "inside_sqrt")
        return ops.add(ops.multiply(normal, _weights(width)), _weights(width)).output(0)

    def dense(x, inputs, outputs):
        return ops.add(ops.matmul(x, _weights(inputs, outputs), False, False), _weights(outputs))

    def split_heads(x):
        x = ops.reshape(x, np.int64([1, tokens, heads, width // heads]), False)
        return ops.transpose(x, np.int64([0, 2, 1, 3])).output(0)

    for _ in range(4):
        qkv = ops.split(dense(norm(x), width, 3 * width), np.int64(-1), 3)
        attention = ops.scaled_dot_product_attention(*(split_heads(part) for part in qkv.outputs()))
        merged = ops.reshape(
            ops.transpose(attention, np.int64([0, 2, 1, 3])), np.int64([1, tokens, width]), False
        )
        x = ops.add(x, dense(merged, width, width)).output(0)
        hidden = ops.gelu(dense(norm(x), width, 4 * width), "erf")
        x = ops.add(x, dense(hidden, 4 * width, width)).output(0)
    cls = ops.gather(norm(x), np.int64([0]), np.int64(1))
    logits = dense(ops.reshape(cls, np.int64([1, width]), False), width, 1000)
    return ov.Model([logits], [image], "vit_encoder")


def convnext_blocks():
    """ConvNeXt stage at 56x56x96: 3 blocks of depthwise 7x7, LayerNorm (MVN), 4x MLP with
    Gelu, layer scale and residual; then a downsampling LayerNorm + 2x2 conv."""
    import numpy as np
    import openvino as ov
    import openvino.opset16 as ops

    channels = 96
    image = ops.parameter([1, channels, 56, 56], np.float32, name="features")
    x = image.output(0)
    for _ in range(3):
        depthwise = ops.group_convolution(
            x, _weights(channels, 1, 1, 7, 7), [1, 1], [3, 3], [3, 3], [1, 1]
        )
        y = ops.transpose(ops.add(depthwise, _weights(1, channels, 1, 1)), [0, 2, 3, 1])
        y = ops.mvn(y, np.int64([-1]), True, 1e-6, "inside_sqrt")
        y = ops.add(ops.multiply(y, _weights(channels)), _weights(channels))
        y = ops.add(ops.matmul(y, _weights(channels, 4 * channels), False, False), _weights(384))
        y = ops.gelu(y, "erf")
        y = ops.add(ops.matmul(y, _weights(4 * channels, channels), False, False), _weights(96))
        y = ops.transpose(ops.multiply(y, _weights(channels)), [0, 3, 1, 2])
        x = ops.add(x, y).output(0)
    y = ops.mvn(x, np.int64([1]), True, 1e-6, "inside_sqrt")
    y = ops.convolution(y, _weights(2 * channels, channels, 2, 2), [2, 2], [0, 0], [0, 0], [1, 1])
    return ov.Model([y], [image], "convnext_blocks")


def depthwise_separable():
    """MobileNet-V1 (1.0, 224): 3x3 stem, 13 depthwise 3x3 + pointwise pairs with BatchNorm
    and ReLU6 (Clamp), global average pooling, 1000-way FC."""
    import numpy as np
    import openvino as ov
    import openvino.opset16 as ops

    def batch_norm_relu6(x, channels):
        x = ops.batch_norm_inference(
            x, _weights(channels) + 1, _weights(channels), _weights(channels),
            np.abs(_weights(channels)) + 1, 1e-5,
        )  # fmt: skip
        return ops.clamp(x, 0.0, 6.0).output(0)

    image = ops.parameter([1, 3, 224, 224], np.float32, name="image")
    x = batch_norm_relu6(
        ops.convolution(image, _weights(32, 3, 3, 3), [2, 2], [1, 1], [1, 1], [1, 1]), 32
    )
    channels = 32
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)]
    plan += [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for outputs, stride in plan:
        depthwise = ops.group_convolution(
            x, _weights(channels, 1, 1, 3, 3), [stride, stride], [1, 1], [1, 1], [1, 1]
        )
        x = batch_norm_relu6(depthwise, channels)
        pointwise = ops.convolution(
            x, _weights(outputs, channels, 1, 1), [1, 1], [0, 0], [0, 0], [1, 1]
        )
        x = batch_norm_relu6(pointwise, outputs)
        channels = outputs
    pooled = ops.avg_pool(x, [1, 1], [0, 0], [0, 0], [7, 7], True)
    flat = ops.reshape(pooled, np.int64([1, 1024]), False)
    logits = ops.add(ops.matmul(flat, _weights(1024, 1000), False, False), _weights(1000))
    return ov.Model([ops.softmax(logits, 1)], [image], "mobilenet_v1")


def recurrent(kind: str):
    """A 2-layer LSTM (256 hidden, 50 steps of 128 features) or a bidirectional GRU."""
    import numpy as np
    import openvino as ov
    import openvino.opset16 as ops

    steps, features, hidden = 50, 128, 256
    x = ops.parameter([1, steps, features], np.float32, name="sequence")
    lengths = np.int32([steps])
    output = x.output(0)
    directions = 2 if kind == "gru" else 1
    layers = 1 if kind == "gru" else 2
    for _ in range(layers):
        inputs = output.get_partial_shape()[-1].get_length()
        gates = 3 if kind == "gru" else 4
        w = _weights(directions, gates * hidden, inputs)
        r = _weights(directions, gates * hidden, hidden)
        b = _weights(directions, gates * hidden)
        h0 = np.zeros((1, directions, hidden), np.float32)
        if kind == "gru":
            direction = "bidirectional"
            sequence = ops.gru_sequence(output, h0, lengths, w, r, b, hidden, direction)
        else:
            sequence = ops.lstm_sequence(output, h0, h0, lengths, w, r, b, hidden, "forward")
        # [1, directions, steps, hidden] -> [1, steps, directions x hidden]
        output = ops.reshape(
            ops.transpose(sequence.output(0), np.int64([0, 2, 1, 3])),
            np.int64([1, steps, directions * hidden]), False,
        ).output(0)  # fmt: skip
    last = ops.gather(output, np.int64([steps - 1]), np.int64(1))
    flat = ops.reshape(last, np.int64([1, directions * hidden]), False)
    logits = ops.matmul(flat, _weights(directions * hidden, 10), False, False)
    return ov.Model([logits], [x], f"{kind}_sequence")


def ir_models(folder: Path) -> Iterator[tuple[str, Callable[[], object]]]:
    import openvino

    for xml in sorted(folder.glob("*.xml")):
        yield xml.stem, lambda xml=xml: openvino.Core().read_model(xml)


def compare(model_analyzer: Path, irs: Path | None, work: Path) -> list[list[str]]:
    import openvino
    from openvino.passes import ConstantFolding, Manager

    sys.path.insert(0, str(ROOT))
    from generator.validation.complexity import count_complexity

    count_ma = load_model_analyzer(model_analyzer)
    models = [*light_models(), *opset_models(), *(ir_models(irs) if irs else [])]
    rows = []
    for name, build in models:
        model = build()
        ours = count_complexity(model)
        folded = model.clone()
        manager = Manager()
        manager.register_pass(ConstantFolding())
        manager.run_passes(folded)
        xml = work / f"{name}.xml"
        openvino.save_model(folded, xml, compress_to_fp16=False)
        ma_gflops, ma_mparams, ma_by_type = count_ma(xml)
        differences = [
            f"{kind} {ours.flops_by_type.get(kind, 0) / 1e9 - ma_by_type.get(kind, 0):+.4f}"
            for kind in sorted(set(ours.flops_by_type) | set(ma_by_type))
            if abs(ours.flops_by_type.get(kind, 0) / 1e9 - ma_by_type.get(kind, 0)) > 5e-5
        ]
        omz = OMZ.get(name)
        rows.append(
            [
                name,
                f"{ours.gflops:.4f}",
                f"{ma_gflops:.4f}",
                f"{ours.gflops / ma_gflops:.4f}" if ma_gflops else "-",
                f"{ours.mparams:.4f}",
                f"{ma_mparams:.4f}",
                f"{ours.mparams / ma_mparams:.4f}" if ma_mparams else "-",
                f"{omz[0]:g} / {omz[1]:g}" if omz else "",
                f"{ours.gflops / omz[0]:.4f} / {ours.mparams / omz[1]:.4f}" if omz else "",
                ", ".join(differences),
            ]
        )
    return rows


COLUMNS = (
    "model", "ours GFLOPs", "MA GFLOPs", "ratio", "ours MParams", "MA MParams", "ratio",
    "OMZ GFLOPs / MParams", "ours / OMZ", "GFLOPs differences by op type (ours - MA)",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-analyzer", type=Path, help="folder holding model_analyzer/")
    parser.add_argument("--irs", type=Path, help="also count the IRs (*.xml) in this folder")
    parser.add_argument("--export-torch", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    if args.export_torch:
        export_torch(args.export_torch)
        return
    if args.model_analyzer is None:
        print("model_analyzer comparison skipped: no --model-analyzer PATH given")
        return
    if not (args.model_analyzer / "model_analyzer" / "layer_provider.py").is_file():
        print(f"{args.model_analyzer}: no model_analyzer/layer_provider.py there", file=sys.stderr)
        sys.exit(2)
    # model_analyzer logs its failed folding (its pass API is gone; the IRs are folded here)
    logging.disable(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="zoo-ma-") as work:
        rows = compare(args.model_analyzer, args.irs, Path(work))
    if args.markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join("---" for _ in COLUMNS) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="GFLOPs and MParams: ours (model-analyzer convention) vs model_analyzer")
    for column in COLUMNS:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def export_torch(folder: Path) -> None:
    """Convert small torch architectures, written here as torchvision defines them, to IRs."""
    import openvino
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    for name, (module, example) in torch_models().items():
        with torch.no_grad():
            # trained-like values: at their initial 1 and 0, OpenVINO drops a norm's scale and
            # shift and a batch norm's bias, so their parameters would not be in the IR
            for parameter in module.parameters():
                parameter.add_(torch.randn_like(parameter) * 0.01)
            for layer in module.modules():
                if isinstance(layer, torch.nn.BatchNorm2d):
                    layer.running_mean.normal_(0, 0.1)
                    layer.running_var.uniform_(0.5, 1.5)
            # static input shapes, as the cards document them
            shape = tuple(example.shape)
            model = openvino.convert_model(module.eval(), example_input=example, input=[shape])
        openvino.save_model(model, folder / f"torch_{name}.xml", compress_to_fp16=False)
        print(f"torch_{name}: {sum(p.numel() for p in module.parameters()) / 1e6:.4f} MParams")


def torch_models() -> dict[str, tuple[object, object]]:
    """name -> (module, example input): torchvision's ResNet-18, MobileNet-V2, ConvNeXt-T and
    Swin-T rewritten (torchvision is not installed), a BERT-like encoder, an LSTM, a BiGRU."""
    import torch
    from torch import nn
    from torch.nn import functional

    def conv_bn(inputs, outputs, kernel, stride=1, groups=1, activation=nn.ReLU):
        layers = [
            nn.Conv2d(inputs, outputs, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(outputs),
        ]
        return nn.Sequential(*layers, *([activation()] if activation else []))

    class BasicBlock(nn.Module):
        def __init__(self, inputs, outputs, stride):
            super().__init__()
            self.body = nn.Sequential(
                conv_bn(inputs, outputs, 3, stride), conv_bn(outputs, outputs, 3, activation=None)
            )
            self.down = (
                conv_bn(inputs, outputs, 1, stride, activation=None)
                if stride != 1 or inputs != outputs
                else nn.Identity()
            )

        def forward(self, x):
            return functional.relu(self.body(x) + self.down(x))

    def resnet18():
        layers = [conv_bn(3, 64, 7, 2), nn.MaxPool2d(3, 2, 1)]
        inputs = 64
        for outputs, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            layers += [BasicBlock(inputs, outputs, stride), BasicBlock(outputs, outputs, 1)]
            inputs = outputs
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1000)]
        return nn.Sequential(*layers)

    class InvertedResidual(nn.Module):
        def __init__(self, inputs, outputs, stride, expand):
            super().__init__()
            hidden = inputs * expand
            layers = [conv_bn(inputs, hidden, 1, activation=nn.ReLU6)] if expand != 1 else []
            layers += [
                conv_bn(hidden, hidden, 3, stride, groups=hidden, activation=nn.ReLU6),
                conv_bn(hidden, outputs, 1, activation=None),
            ]
            self.body = nn.Sequential(*layers)
            self.residual = stride == 1 and inputs == outputs

        def forward(self, x):
            return x + self.body(x) if self.residual else self.body(x)

    def mobilenet_v2():
        layers = [conv_bn(3, 32, 3, 2, activation=nn.ReLU6)]
        inputs = 32
        plan = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1)]
        for expand, outputs, repeats, stride in [*plan, (6, 160, 3, 2), (6, 320, 1, 1)]:
            for index in range(repeats):
                layers.append(InvertedResidual(inputs, outputs, stride if not index else 1, expand))
                inputs = outputs
        layers += [conv_bn(320, 1280, 1, activation=nn.ReLU6), nn.AdaptiveAvgPool2d(1)]
        return nn.Sequential(*layers, nn.Flatten(), nn.Dropout(0.2), nn.Linear(1280, 1000))

    class LayerNorm2d(nn.LayerNorm):
        def forward(self, x):
            return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)

    class CNBlock(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.depthwise = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
            self.norm = nn.LayerNorm(dim, eps=1e-6)
            self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            self.scale = nn.Parameter(torch.full((dim, 1, 1), 1e-6))

        def forward(self, x):
            y = self.mlp(self.norm(self.depthwise(x).permute(0, 2, 3, 1))).permute(0, 3, 1, 2)
            return x + self.scale * y

    def convnext_tiny():
        dims = (96, 192, 384, 768)
        layers = [nn.Conv2d(3, 96, 4, 4), LayerNorm2d(96, eps=1e-6)]
        for index, (dim, depth) in enumerate(zip(dims, (3, 3, 9, 3), strict=True)):
            if index:
                layers += [LayerNorm2d(dims[index - 1], eps=1e-6), nn.Conv2d(dim // 2, dim, 2, 2)]
            layers += [CNBlock(dim) for _ in range(depth)]
        layers += [nn.AdaptiveAvgPool2d(1), LayerNorm2d(768, eps=1e-6), nn.Flatten()]
        return nn.Sequential(*layers, nn.Linear(768, 1000))

    class Encoder(nn.Module):
        """BERT-like: token and position embeddings, 4 post-norm layers with SDPA and Gelu."""

        def __init__(self, width=256, heads=4, layers=4, vocabulary=8000, tokens=128):
            super().__init__()
            self.heads = heads
            self.embed = nn.Embedding(vocabulary, width)
            self.position = nn.Parameter(torch.randn(1, tokens, width) * 0.02)
            self.norm = nn.LayerNorm(width)
            self.qkv = nn.ModuleList(nn.Linear(width, 3 * width) for _ in range(layers))
            self.out = nn.ModuleList(nn.Linear(width, width) for _ in range(layers))
            self.norms = nn.ModuleList(nn.LayerNorm(width) for _ in range(2 * layers))
            self.mlps = nn.ModuleList(
                nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))
                for _ in range(layers)
            )

        def forward(self, ids):
            x = self.norm(self.embed(ids) + self.position)
            batch, tokens, width = x.shape
            layers = zip(self.qkv, self.out, self.mlps, strict=True)
            for index, (qkv, out, mlp) in enumerate(layers):
                q, k, v = qkv(x).reshape(batch, tokens, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
                attended = functional.scaled_dot_product_attention(q, k, v)
                attended = attended.transpose(1, 2).reshape(batch, tokens, width)
                x = self.norms[2 * index](x + out(attended))
                x = self.norms[2 * index + 1](x + mlp(x))
            return x

    class Recurrent(nn.Module):
        def __init__(self, kind):
            super().__init__()
            self.rnn = (
                nn.LSTM(128, 256, num_layers=2, batch_first=True)
                if kind == "lstm"
                else nn.GRU(128, 256, batch_first=True, bidirectional=True)
            )
            self.head = nn.Linear(self.rnn.hidden_size * (1 + self.rnn.bidirectional), 10)

        def forward(self, x):
            return self.head(self.rnn(x)[0][:, -1])

    def window_attention(x, attention, heads, shift):
        """torchvision's shifted_window_attention (window 7): the mask is built from shapes."""
        batch, height, width, channels = x.shape
        window = 7
        shift = 0 if window >= height else shift
        if shift:
            x = torch.roll(x, shifts=(-shift, -shift), dims=(1, 2))
        windows = (height // window) * (width // window)
        x = x.view(batch, height // window, window, width // window, window, channels)
        x = x.permute(0, 1, 3, 2, 4, 5).reshape(batch * windows, window * window, channels)
        qkv = attention.qkv(x).reshape(x.size(0), x.size(1), 3, heads, channels // heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        scores = (q * (channels // heads) ** -0.5).matmul(k.transpose(-2, -1))
        bias = attention.table[attention.index].view(49, 49, -1).permute(2, 0, 1).unsqueeze(0)
        scores = scores + bias
        if shift:
            mask = x.new_zeros((height, width))
            slices = ((0, -window), (-window, -shift), (-shift, None))
            count = 0
            for h in slices:
                for w in slices:
                    mask[h[0] : h[1], w[0] : w[1]] = count
                    count += 1
            mask = mask.view(height // window, window, width // window, window)
            mask = mask.permute(0, 2, 1, 3).reshape(windows, window * window)
            mask = mask.unsqueeze(1) - mask.unsqueeze(2)
            mask = mask.masked_fill(mask != 0, -100.0).masked_fill(mask == 0, 0.0)
            scores = scores.view(x.size(0) // windows, windows, heads, x.size(1), x.size(1))
            scores = (scores + mask.unsqueeze(1).unsqueeze(0)).view(-1, heads, 49, 49)
        x = functional.softmax(scores, dim=-1).matmul(v).transpose(1, 2)
        x = attention.proj(x.reshape(x.size(0), x.size(1), channels))
        x = x.view(batch, height // window, width // window, window, window, channels)
        x = x.permute(0, 1, 3, 2, 4, 5).reshape(batch, height, width, channels)
        return torch.roll(x, shifts=(shift, shift), dims=(1, 2)) if shift else x

    class SwinBlock(nn.Module):
        def __init__(self, dim, heads, shift):
            super().__init__()
            self.heads, self.shift = heads, shift
            self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
            self.attention = nn.Module()
            self.attention.qkv = nn.Linear(dim, 3 * dim)
            self.attention.proj = nn.Linear(dim, dim)
            self.attention.table = nn.Parameter(torch.randn(13 * 13, heads) * 0.02)
            coords = torch.stack(torch.meshgrid(torch.arange(7), torch.arange(7), indexing="ij"))
            coords = coords.flatten(1)
            relative = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0).contiguous()
            relative[:, :, 0] += 6
            relative[:, :, 1] += 6
            relative[:, :, 0] *= 13
            self.attention.register_buffer("index", relative.sum(-1).flatten())
            self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

        def forward(self, x):
            x = x + window_attention(self.norm1(x), self.attention, self.heads, self.shift)
            return x + self.mlp(self.norm2(x))

    class PatchMerging(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.norm, self.reduction = nn.LayerNorm(4 * dim), nn.Linear(4 * dim, 2 * dim, False)

        def forward(self, x):
            parts = (x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :])
            parts += (x[..., 0::2, 1::2, :], x[..., 1::2, 1::2, :])
            return self.reduction(self.norm(torch.cat(parts, -1)))

    class Permute(nn.Module):
        def __init__(self, *order):
            super().__init__()
            self.order = order

        def forward(self, x):
            return x.permute(*self.order)

    def swin_t():
        layers = [nn.Conv2d(3, 96, 4, 4), Permute(0, 2, 3, 1), nn.LayerNorm(96)]
        dim = 96
        for stage, (depth, heads) in enumerate(zip((2, 2, 6, 2), (3, 6, 12, 24), strict=True)):
            layers += [SwinBlock(dim, heads, 3 if index % 2 else 0) for index in range(depth)]
            if stage < 3:
                layers.append(PatchMerging(dim))
                dim *= 2
        layers += [nn.LayerNorm(768), Permute(0, 3, 1, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        return nn.Sequential(*layers, nn.Linear(768, 1000))

    image = torch.randn(1, 3, 224, 224)
    sequence = torch.randn(1, 50, 128)
    return {
        "resnet18": (resnet18(), image),
        "mobilenet_v2": (mobilenet_v2(), image),
        "convnext_tiny": (convnext_tiny(), image),
        "swin_t": (swin_t(), image),
        "bert_like_encoder": (Encoder(), torch.randint(0, 8000, (1, 128))),
        "lstm": (Recurrent("lstm"), sequence),
        "bigru": (Recurrent("gru"), sequence),
    }


if __name__ == "__main__":
    main()
