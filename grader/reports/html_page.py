"""The frame every HTML page of the grader shares: one stylesheet, inline (the pages fetch
nothing), and the shell of a page. Callers escape student text before it reaches here."""

from __future__ import annotations

from grader.reports.escape import html as escape

# Score bands, lowest first: an orange-to-blue scale that readers with red-green colour blindness
# tell apart too (ColorBrewer's PuOr/RdBu ends); the number is in every cell as well.
BANDS = (
    ("s0", "0", "#b35806", "#fff"),
    ("s1", "under 25 %", "#f1a340", "#222"),
    ("s2", "25-50 %", "#fee0b6", "#222"),
    ("s3", "50-75 %", "#d1e5f0", "#222"),
    ("s4", "75-99 %", "#92c5de", "#222"),
    ("s5", "full marks", "#2166ac", "#fff"),
)

_STYLE = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.2rem 1.6rem;color:#1d1d1d;
max-width:84rem}
h1{font-size:1.45rem;margin:.2rem 0 .4rem}h2{font-size:1.12rem;margin:1.6rem 0 .4rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1rem;margin:1rem 0 .3rem}
p{margin:.3rem 0}.muted{color:#666}.small{font-size:12px}
table{border-collapse:collapse;margin:.3rem 0}
td,th{border:1px solid #d4d4d4;padding:.18rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
pre{white-space:pre-wrap;margin:0;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace}
a{color:#0b57a4}.bar{fill:#3b7dd8}.full{fill:#2166ac}.axis{stroke:#777}
.label{font-size:11px;fill:#333}svg.mini{vertical-align:middle}
.top{display:flex;gap:2rem;align-items:flex-start;flex-wrap:wrap}
.facts td{border:none;padding:.05rem .6rem .05rem 0}.facts td.n{font-weight:600}
.partial{background:#fff3cd;border:1px solid #e0c060;padding:.4rem .6rem}
details{margin:.15rem 0}summary{cursor:pointer}
.heat td.c{text-align:center;min-width:2.6rem;padding:0;font-variant-numeric:tabular-nums}
.heat td.c a{display:block;padding:.18rem .3rem;color:inherit;text-decoration:none}
.heat td.c a:hover,.heat td.c a:focus{outline:2px solid #111;outline-offset:-2px}
.heat th button{font:inherit;font-weight:600;background:none;border:none;padding:0;
cursor:pointer;color:inherit;text-align:inherit}
.heat th button:focus-visible{outline:2px solid #0b57a4}
.heat th[aria-sort=ascending] button::after{content:" \\25B2"}
.heat th[aria-sort=descending] button::after{content:" \\25BC"}
.heat tbody tr:hover td.name{background:#f6f6f6}
.na{background:repeating-linear-gradient(135deg,#fff 0 4px,#e6e6e6 4px 6px);color:#777}
.load{background:#fff;color:#b35806;font-weight:700;box-shadow:inset 0 0 0 2px #b35806}
.legend{display:flex;gap:.3rem;flex-wrap:wrap;align-items:center;margin:.3rem 0}
.legend span{display:inline-block;padding:.05rem .45rem;border:1px solid #ccc;font-size:12px}
.tools{display:flex;gap:1rem;align-items:center;margin:.4rem 0}
input[type=search]{font:inherit;padding:.15rem .4rem;width:16rem}
h2:target{background:#fff3cd}h2[id]{scroll-margin-top:.5rem}
.toc{border:1px solid #ddd;background:#fafafa;padding:.4rem .8rem;font-size:13px}
.toc ol{margin:.1rem 0 .4rem;padding-left:1.3rem}.toc li{margin:.1rem 0}
.toc .jump td{border:none;padding:.05rem .8rem .05rem 0}
h2 a.up{font-weight:400;margin-left:.6rem;color:#888}
ul.names{columns:13rem auto;column-gap:1.2rem;list-style:none;padding:0;margin:.2rem 0 .6rem}
ul.names li{break-inside:avoid;padding:.05rem 0}
table.mistakes td:first-child,#top-mistakes td:nth-child(2){max-width:40rem}
.flag{color:#8a4b00}.ok{color:#176b2c}.bad{color:#a33}
"""


def band(fraction: float) -> str:
    """The class of a score's band: s0 for nothing, s5 for full marks."""
    if fraction <= 0:
        return "s0"
    if fraction >= 1:
        return "s5"
    return f"s{1 + min(int(fraction * 4), 3)}"


def exercise_heading(anchor: str, number: int, title: str, score: float, points: int) -> str:
    """An exercise's <h2> on a results page: number, title, and the score in its band's colour."""
    fraction = score / points if points else 1.0
    return (
        f'<h2 id="{escape(anchor)}">{number:02d} {escape(title)}: '
        f'<span class="{band(fraction)}" style="padding:0 .35rem">{score:g}</span>'
        f" / {points}</h2>"
    )


def style() -> str:
    colours = "".join(f".{name}{{background:{bg};color:{fg}}}" for name, _, bg, fg in BANDS)
    return _STYLE + colours


def page(title: str, body: str, script: str = "", extra_style: str = "") -> str:
    """A whole page: `title` is escaped here, `body`, `script` and `extra_style` are markup
    already safe."""
    tail = f"<script>{script}</script>" if script else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{style()}{extra_style}</style></head><body>\n"
        f"{body}\n{tail}</body></html>\n"
    )
