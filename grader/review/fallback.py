"""The integrity scan of a file that does not parse: the same rules over its token stream, names
taken literally. A tokenizer error ends the scan there, with a note."""

from __future__ import annotations

import io
import tokenize

from grader.review import rules
from grader.review.findings import Collector, Scan


def scan_tokens(text: str, found: Collector, scan: Scan) -> None:
    """The same rules over a token stream, names taken literally (no imports to resolve): each
    dotted chain of names is judged as a use, or, after `import`/`from`, as an import."""
    chain: list[str] = []
    dot = importing = False
    line = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            line = token.start[0]
            if token.type == tokenize.NAME and chain and dot:
                chain.append(token.string)
                dot = False
                if token.string in rules.FRAME_ATTRIBUTES:
                    found.add("frames", token.string, f"reads a frame's {token.string}", line)
            elif token.type == tokenize.OP and token.string == "." and chain and not dot:
                dot = True
            else:
                _token_chain(chain, importing, line, found)
                chain, dot = [], False
                if token.type in (tokenize.NEWLINE, tokenize.NL) or token.string == ";":
                    importing = False
                elif token.type == tokenize.NAME and token.string in ("import", "from"):
                    importing = True
                elif token.type == tokenize.NAME:
                    chain = [token.string]
                elif token.type == tokenize.STRING and "/proc" in token.string:
                    found.add("proc_fs", "/proc", f"names {token.string[:60]!r}", line)
                if token.type == tokenize.STRING and len(token.string) >= rules.LARGE_LITERAL:
                    what = f"holds a literal of {len(token.string):,} characters"
                    found.add("embedded_data", "literal", what, line)
    except (tokenize.TokenError, SyntaxError, ValueError, MemoryError, RecursionError):
        scan.notes.append(f"tokens unreadable past line {line}")
    _token_chain(chain, importing, line, found)


def _token_chain(chain: list[str], importing: bool, line: int, found: Collector) -> None:
    if not chain:
        return
    dotted = ".".join(chain)
    if chain[0] == "np":
        dotted = "numpy" + dotted[2:]
    elif len(chain) == 1 and chain[0] in rules.DYNAMIC_BUILTINS:
        dotted = f"builtins.{chain[0]}"
    rule = rules.rule_of(dotted)
    if rule is None:
        return
    if importing and rule[0] in ("grader_module", *rules.SYSTEM_MODULES.values()):
        found.add(rule[0], rule[1], f"imports {dotted}", line)
    elif not importing and ("." in dotted or rule[0] == "dynamic_code"):
        if rule[0] != "grader_module":
            found.add(rule[0], rule[1], f"uses {dotted}", line)
