"""How to draw `grader check --html`'s pictures, measured: the page for all eight exercises'
figures (01's five heat-map triples and three filters on a digit, 06's 28x28 transform, 07's
confusion matrix, 08's accuracy per class and 16 misclassified digits), rendered three ways:

- svg: inline SVG, every cell a <rect> (numbers in the cells of small grids);
- svg+png: the same, but grids of more than 12x12 cells as a PNG encoded by hand (zlib, struct)
  inside the SVG (the grader's choice);
- matplotlib: each figure a PNG drawn by matplotlib (Agg, imshow and a colour bar), embedded.

For each: the milliseconds to render the page (wall and CPU, medians of --runs), its size, and the
seconds a fresh Python needs to import what the approach needs (matplotlib is imported by
`grader check --html` only if it is the approach).

    python bench/figures.py [--runs 20]
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from grader.checking import figures as build  # noqa: E402
from grader.digits import make_digits  # noqa: E402
from grader.reports.escape import html as escape  # noqa: E402
from grader.reports.figures_html import STYLE, figure_html  # noqa: E402
from grader.reports.html_page import page  # noqa: E402
from grader.workbook.figures import Figure, Scale  # noqa: E402


def all_figures() -> list[Figure]:
    """What a submission with mistakes in 01, 06, 07 and 08 draws (as the checks build them)."""
    gen = torch.Generator().manual_seed(0)
    found: list[Figure | None] = []
    for shape in ((3, 3), (5, 6), (7, 8), (4, 3), (3, 3)):  # 01: a flipped kernel
        expected = torch.randn(shape, generator=gen)
        found.append(build.comparison("convolve2d", expected, expected.flip(0, 1)))
    for name, kernel in (
        ("horizontal_edge_filter", [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
        ("vertical_edge_filter", [[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
        ("laplacian_filter", [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    ):
        spec = torch.tensor(kernel, dtype=torch.float32)
        found.append(build.filter_on_digit(name, spec, spec.T))  # 01: rows and columns swapped
    image = torch.rand(1, 28, 28, generator=gen)
    found.append(build.comparison("mnist_transform", (image - 0.1307) / 0.3081, image))  # 06
    counts = torch.randint(0, 4, (10, 10), generator=gen)
    found.append(build.confusion(counts.T, counts))  # 07: transposed
    images, labels = make_digits(2000, seed=1)
    scores = torch.randn(2000, 10, generator=gen)
    found.extend(build.held_out(images, labels, scores))  # 08: near chance
    return [f for f in found if f is not None]


def _matplotlib_figure(figure: Figure) -> str:
    import matplotlib.pyplot as plt

    panels = figure.panels
    plot, axes = plt.subplots(1, len(panels), figsize=(1.6 * len(panels), 2.0), squeeze=False)
    for axis, panel in zip(axes[0], panels):
        if panel.scale is Scale.PERCENT:
            axis.bar(range(panel.cols), panel.values, color="#2166ac")
        else:
            grid = [
                list(panel.values[r * panel.cols : (r + 1) * panel.cols]) for r in range(panel.rows)
            ]
            cmap = {Scale.INK: "Greys", Scale.COUNT: "Blues"}.get(panel.scale, "PuOr_r")
            shown = axis.imshow(grid, cmap=cmap)
            if panel.scale is not Scale.INK:
                plot.colorbar(shown, ax=axis, fraction=0.046)
        axis.set_title(panel.label, fontsize=7)
        axis.set_xticks([])
        axis.set_yticks([])
    buffer = io.BytesIO()
    plot.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(plot)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="fig"><figcaption>{escape(figure.title)}</figcaption>'
        f'<img alt="{escape(figure.title)}" src="data:image/png;base64,{data}"></figure>'
    )


def render(figures: list[Figure], how: str) -> str:
    if how == "matplotlib":
        body = "".join(_matplotlib_figure(f) for f in figures)
    else:
        body = "".join(figure_html(f, raster=how == "svg+png") for f in figures)
    return page("figures", body, extra_style=STYLE)


def import_seconds(statement: str) -> float:
    """A fresh interpreter's time for `statement`, less an empty one's (median of 3)."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - start

    return statistics.median(run(statement) - run("pass") for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    figures = all_figures()
    ours = import_seconds("import grader.reports.figures_html")  # both SVG ways: one module
    imports = {
        "svg": ours,
        "svg+png": ours,
        "matplotlib": import_seconds(
            "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"
        ),
    }
    panels = sum(len(f.panels) for f in figures)
    print(f"{len(figures)} figures, {panels} panels")
    print(f"{'approach':<12} {'render ms':>10} {'CPU ms':>7} {'page KiB':>9} {'import s':>9}")
    for how in ("svg", "svg+png", "matplotlib"):
        render(figures, how)  # warm up
        times, cpu = [], []
        for _ in range(options.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            text = render(figures, how)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        size = len(text.encode("utf-8")) / 1024
        print(
            f"{how:<12} {1000 * statistics.median(times):>10.1f} "
            f"{1000 * statistics.median(cpu):>7.1f} {size:>9.0f} {imports[how]:>9.2f}"
        )


if __name__ == "__main__":
    main()
