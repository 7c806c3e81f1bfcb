"""The corpus: wrong submissions (one mistake each) and correct-but-different ones.

Each entry is the reference solution with some text replaced, so the corpus
stays in step with the references: if a reference changes, the replaced text is
no longer found and the test says so. `words` must appear in the failing
message: the check has to *name* the mistake, not just notice it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    exercise: str
    name: str
    edits: tuple[tuple[str, str], ...]
    words: tuple[str, ...] = ()  # for wrong variants: words the feedback must contain
    check: str = ""  # for wrong variants: a check (name prefix) that must fail


def wrong(exercise, name, edits, words, check=""):
    return Variant(exercise, name, tuple(edits), tuple(words), check)


def correct(exercise, name, edits):
    return Variant(exercise, name, tuple(edits))


WRONG = [
    # 01 edge_filter
    wrong("edge_filter", "flipped_kernel", [("(patch * kernel).sum()", "(patch * kernel.flip(0, 1)).sum()")],
          ["flipped", "cross-correlation"], "convolve2d_matches"),
    wrong("edge_filter", "ignored_padding", [("F.pad(image, (padding, padding, padding, padding))", "image")],
          ["padding is ignored"], "convolve2d_padding"),
    wrong("edge_filter", "ignored_stride", [("out_h = (padded.shape[0] - kh) // stride + 1", "stride = 1\n    out_h = (padded.shape[0] - kh) // stride + 1")],
          ["stride is ignored"], "convolve2d_stride"),
    wrong("edge_filter", "modifies_input", [("padded = F.pad(", "image.mul_(1.5)\n    padded = F.pad(")],
          ["modified its image argument in place"], "convolve2d_leaves_inputs_unchanged"),
    wrong("edge_filter", "int_filter", [("return torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])",
                                         "return torch.tensor([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])")],
          ["int64", "dtype=torch.float32"], "filter[horizontal]"),
    wrong("edge_filter", "swapped_filters", [("[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]", "[[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]")],
          ["rows and columns are swapped"], "filter[horizontal]"),
    wrong("edge_filter", "no_sqrt", [("torch.sqrt(gh**2 + gv**2)", "gh**2 + gv**2")], ["square root is missing"], "edge_magnitude"),
    wrong("edge_filter", "no_validation", [("    if image.dim() != 2 or kernel.dim() != 2:\n        raise", "    if False:\n        raise")],
          ["should raise ValueError"], "convolve2d_rejects_bad_input"),
    # 02 count_parameters
    wrong("count_parameters", "shared_counted_twice", [("params = list(model.parameters())", "params = [p for _, p in model.named_parameters(remove_duplicate=False)]")],
          ["counted twice"], "count_parameters_shared_weight"),
    wrong("count_parameters", "buffers_counted", [("total = sum(p.numel() for p in params)", "total = sum(t.numel() for t in model.state_dict().values())")],
          ["buffers are counted as parameters"], "count_parameters_ignores_buffers"),
    wrong("count_parameters", "frozen_as_trainable", [("if p.requires_grad)", ")")], ["frozen parameters are counted as trainable"], "count_parameters_frozen"),
    wrong("count_parameters", "bias_always", [("(out_channels if bias else 0)", "out_channels")], ["bias=False still adds"], "conv2d_param_count"),
    wrong("count_parameters", "no_in_channels", [("out_channels * in_channels * kh * kw", "out_channels * kh * kw")], ["in_channels is missing"], "conv2d_param_count"),
    # 03 simple_cnn
    wrong("simple_cnn", "pool_default_stride_1", [("// (stride or kernel_size) + 1", "// (stride or 1) + 1")], ["default stride"], "pool_output_size"),
    wrong("simple_cnn", "no_relu_after_fc1", [("x = F.relu(self.fc1(x))", "x = self.fc1(x)")], ["ReLU after fc1 is missing"], "simple_cnn_forward"),
    wrong("simple_cnn", "relu_on_logits", [("return self.fc2(x)", "return F.relu(self.fc2(x))")], ["ReLU after fc2"], "simple_cnn_forward"),
    wrong("simple_cnn", "wrong_fc1_size", [("self.fc1 = nn.Linear(8 * 7 * 7, 64)", "self.fc1 = nn.Linear(8 * 14 * 14, 64)")], ["392"], "simple_cnn_layers"),
    wrong("simple_cnn", "shape_not_tuple", [("shapes.append((name, tuple(x.shape)))", "shapes.append((name, list(x.shape)))")], ["tuple of ints"], "trace_shapes"),
    wrong("simple_cnn", "conv_size_float", [("out = (size + 2 * padding - kernel_size) // stride + 1", "out = (size + 2 * padding - kernel_size) / stride + 1")], ["integer division"], "conv_output_size"),
    # 04 layer_tweaks
    wrong("layer_tweaks", "relu_ignored", [("            if self.use_relu:\n                x = F.relu(x)", "            x = F.relu(x)")], ["ReLU is applied although use_relu=False"], "tinycnn_forward"),
    wrong("layer_tweaks", "conv2_always", [("        if extra_conv_filters > 0:\n            self.conv2", "        self.conv2 = nn.Conv2d(num_filters, 1, 3, padding=1)\n        if extra_conv_filters > 0:\n            self.conv2")],
          ["has an attribute conv2", "must be none"], "tinycnn_default_layers"),
    wrong("layer_tweaks", "fc_ignores_kernel", [("side = image_size + 2 - kernel_size + 1", "side = image_size")], ["S = image_size + 2 - kernel_size + 1"], "tinycnn_configurations"),
    wrong("layer_tweaks", "variant_no_relu_wrong", [('"no_relu": TinyCNN(use_relu=False)', '"no_relu": TinyCNN()')], ["no_relu must be TinyCNN(use_relu=False)"], "make_variants"),
    # 05 training_step
    wrong("training_step", "no_zero_grad", [("    model.train()\n    optimizer.zero_grad()\n    loss = criterion(model(images), labels)", "    model.train()\n    loss = criterion(model(images), labels)")],
          ["never cleared", "zero_grad"], "train_step_order"),
    wrong("training_step", "zero_grad_after_backward", [("    optimizer.zero_grad()\n    loss = criterion(model(images), labels)\n    loss.backward()\n", "    loss = criterion(model(images), labels)\n    loss.backward()\n    optimizer.zero_grad()\n")],
          ["zero_grad runs after backward"], "train_step_clears_old_gradients"),
    wrong("training_step", "step_before_backward", [("    loss.backward()\n    optimizer.step()\n    return loss.item()", "    optimizer.step()\n    loss.backward()\n    return loss.item()")],
          ["step() comes before loss.backward()"], "train_step_order"),
    wrong("training_step", "loss_as_tensor", [("    optimizer.step()\n    return loss.item()", "    optimizer.step()\n    return loss")], ["returned as a tensor", "loss.item()"], "train_step_returns_the_loss_as_float"),
    wrong("training_step", "no_train_mode", [("def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:\n    model.train()\n", "def train_step(model: nn.Module, images: Tensor, labels: Tensor, optimizer, criterion) -> float:\n")],
          ["model.train()"], "train_step_sets_training_mode"),
    wrong("training_step", "sgd_not_in_place", [("            p -= lr * p.grad", "            p = p - lr * p.grad")], ["rebinds"], "sgd_step_updates_in_place"),
    wrong("training_step", "sgd_data_replaced", [("            p -= lr * p.grad", "            p.data = p.data - lr * p.grad")], ["replaced by new tensors"], "sgd_step_updates_in_place"),
    wrong("training_step", "sgd_generator_twice", [("    for p in parameters:\n        if p.grad is not None:\n            p -= lr * p.grad", "    if not any(p.grad is not None for p in parameters):\n        return\n    for p in parameters:\n        if p.grad is not None:\n            p -= lr * p.grad")],
          ["generator is consumed twice"], "sgd_step_accepts_a_generator"),
    wrong("training_step", "sgd_without_no_grad", [("@torch.no_grad()\ndef sgd_step", "def sgd_step")], ["torch.no_grad()"], "sgd_step_updates_in_place"),
    wrong("training_step", "stale_gradients_leak", [("    model.zero_grad(set_to_none=True)\n    criterion(model(images), labels).backward()", "    criterion(model(images), labels).backward()")],
          ["stale gradients leak in"], "compute_gradients_are_fresh"),
    wrong("training_step", "unused_grad_none", [("(p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p))", "(p.grad.detach().clone() if p.grad is not None else None)")],
          ["torch.zeros_like"], "compute_gradients_complete_and_detached"),
    wrong("training_step", "epoch_mean_of_batch_means", [("total_loss += loss.item() * len(labels)", "total_loss += loss.item() * len(labels) / len(labels) * 10 / 3")],
          ["mean of the batch means"], "train_epoch_mean_loss"),
    wrong("training_step", "epoch_accuracy_fraction", [("return total_loss / seen, 100.0 * correct / seen", "return total_loss / seen, correct / seen")],
          ["fraction", "percent"], "train_epoch_accuracy"),
    # 06 data
    wrong("data", "transform_not_applied", [("            image = self.transform(image)", "            pass")], ["transform is not applied"], "dataset_applies_transform"),
    wrong("data", "unseeded_shuffle", [("    generator.manual_seed(seed)\n", "    generator.seed()\n")], ["not seeded"], "loader_shuffle_is_seeded"),
    wrong("data", "shuffle_ignored", [("shuffle=shuffle, generator=generator)", "shuffle=False, generator=generator)")], ["shuffle is ignored"], "loader_shuffle_is_seeded"),
    wrong("data", "drop_last", [("shuffle=shuffle, generator=generator)", "shuffle=shuffle, generator=generator, drop_last=True)")], ["last, smaller batch is dropped"], "loader_keeps_every_sample"),
    wrong("data", "swapped_normalize", [("transforms.Normalize((0.1307,), (0.3081,))", "transforms.Normalize((0.3081,), (0.1307,))")], ["statistics are swapped"], "mnist_transform"),
    wrong("data", "no_normalize", [("transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])", "transforms.Compose([transforms.ToTensor()])")], ["Normalize is missing"], "mnist_transform"),
    wrong("data", "no_length_check", [("            raise ValueError(f\"{len(images)} images but {len(labels)} labels\")", "            pass")], ["should raise ValueError"], "dataset_rejects_mismatched_lengths"),
    # 07 evaluate
    wrong("evaluate", "argmax_wrong_dim", [("    return model(images).argmax(dim=1)", "    return model(images).argmax(dim=0)")], ["wrong dimension"], "predict_returns_classes"),
    wrong("evaluate", "predict_no_eval", [("def predict(model: nn.Module, images: Tensor) -> Tensor:\n    model.eval()\n", "def predict(model: nn.Module, images: Tensor) -> Tensor:\n")], ["model.eval()"], "predict_uses_eval_mode"),
    wrong("evaluate", "predict_no_grad_missing", [("@torch.no_grad()\ndef predict", "def predict")], ["recorded gradients", "no_grad"], "predict_records_no_gradients"),
    wrong("evaluate", "accuracy_fraction", [("    return 100.0 * correct / total", "    return correct / total")], ["fraction"], "accuracy_in_percent"),
    wrong("evaluate", "accuracy_no_eval", [("def accuracy(model: nn.Module, loader) -> float:\n    model.eval()\n", "def accuracy(model: nn.Module, loader) -> float:\n")], ["model.eval()"], "accuracy_evaluates_properly"),
    wrong("evaluate", "confusion_transposed", [("matrix[true, pred] += 1", "matrix[pred, true] += 1")], ["rows and columns are swapped"], "confusion_matrix"),
    # 08 train_digits
    wrong("train_digits", "never_steps", [("            optimizer.step()\n", "")], ["below this threshold", "optimizer.step()"], "held_out_accuracy_at_least[30%]"),
    wrong("train_digits", "too_many_parameters", [("self.fc1 = nn.Linear(8 * 7 * 7, 64)", "self.fc1 = nn.Linear(8 * 7 * 7, 300)"), ("self.fc2 = nn.Linear(64, 10)", "self.fc2 = nn.Linear(300, 10)"), ("F.relu(self.fc1(torch.flatten(x, 1)))", "F.relu(self.fc1(torch.flatten(x, 1)))")],
          ["parameters, more than the limit"], "held_out_accuracy_at_least[30%]"),
]

CORRECT = [
    correct("edge_filter", "conv2d_builtin", [("    out_h = (padded.shape[0] - kh) // stride + 1\n    out_w = (padded.shape[1] - kw) // stride + 1\n    out = torch.empty(out_h, out_w, dtype=image.dtype)\n    for i in range(out_h):\n        for j in range(out_w):\n            patch = padded[i * stride : i * stride + kh, j * stride : j * stride + kw]\n            out[i, j] = (patch * kernel).sum()\n    return out",
                                               "    return F.conv2d(padded[None, None], kernel[None, None], stride=stride)[0, 0]")]),
    correct("edge_filter", "unfold", [("    out_h = (padded.shape[0] - kh) // stride + 1\n    out_w = (padded.shape[1] - kw) // stride + 1\n    out = torch.empty(out_h, out_w, dtype=image.dtype)\n    for i in range(out_h):\n        for j in range(out_w):\n            patch = padded[i * stride : i * stride + kh, j * stride : j * stride + kw]\n            out[i, j] = (patch * kernel).sum()\n    return out",
                                       "    windows = padded.unfold(0, kh, stride).unfold(1, kw, stride)\n    return (windows * kernel).sum(dim=(-2, -1))")]),
    correct("count_parameters", "named_parameters_dedup", [("params = list(model.parameters())", "params = [p for _, p in model.named_parameters()]")]),
    correct("simple_cnn", "view_flatten", [("        x = torch.flatten(x, 1)\n        x = F.relu(self.fc1(x))", "        x = x.view(-1, 8 * 7 * 7)\n        x = F.relu(self.fc1(x))")]),
    correct("layer_tweaks", "sequential_features", [("        convs = [self.conv, self.conv2] if hasattr(self, \"conv2\") else [self.conv]", "        convs = [m for m in (self.conv, getattr(self, \"conv2\", None)) if m is not None]")]),
    correct("training_step", "model_zero_grad", [("    model.train()\n    optimizer.zero_grad()\n", "    model.train()\n    model.zero_grad()\n")]),
    correct("training_step", "sgd_sub_and_list", [("    for p in parameters:\n        if p.grad is not None:\n            p -= lr * p.grad", "    params = [p for p in parameters if p.grad is not None]\n    for p in params:\n        p.sub_(p.grad, alpha=lr)")]),
    correct("training_step", "autograd_grad", [("    model.zero_grad(set_to_none=True)\n    criterion(model(images), labels).backward()\n    grads = {\n        name: (p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p))\n        for name, p in model.named_parameters()\n    }\n    model.zero_grad(set_to_none=True)\n    return grads",
                                              "    names, params = zip(*model.named_parameters())\n    loss = criterion(model(images), labels)\n    grads = torch.autograd.grad(loss, params, allow_unused=True)\n    return {n: (g if g is not None else torch.zeros_like(p)).detach().clone() for n, p, g in zip(names, params, grads)}")]),
    correct("data", "sampler", [("    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)",
                                 "    from torch.utils.data import RandomSampler, SequentialSampler\n    sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)\n    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)")]),
    correct("evaluate", "inference_mode_bincount", [("@torch.no_grad()\ndef confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:\n    model.eval()\n    matrix = torch.zeros(num_classes, num_classes, dtype=torch.int64)\n    for images, labels in loader:\n        predictions = model(images).argmax(dim=1)\n        for true, pred in zip(labels.tolist(), predictions.tolist()):\n            matrix[true, pred] += 1\n    return matrix",
                                                     "@torch.inference_mode()\ndef confusion_matrix(model: nn.Module, loader, num_classes: int = 10) -> Tensor:\n    model.eval()\n    pairs = [(y, model(x).argmax(1)) for x, y in loader]\n    true = torch.cat([t for t, _ in pairs])\n    pred = torch.cat([p for _, p in pairs])\n    return torch.bincount(true * num_classes + pred, minlength=num_classes**2).view(num_classes, num_classes)"),
                                                    ("@torch.no_grad()\ndef predict", "@torch.inference_mode()\ndef predict")]),
    correct("evaluate", "torch_max", [("    return model(images).argmax(dim=1)", "    _, predicted = torch.max(model(images), 1)\n    return predicted")]),
    correct("train_digits", "small_mlp_conv", [("        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)", "        self.conv1 = nn.Conv2d(1, 4, 5, padding=2)"), ("    for _ in range(2):", "    for _ in range(3):")]),
]
