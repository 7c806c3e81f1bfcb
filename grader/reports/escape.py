"""Text a student controls (ids from folder names, messages, printed output), made safe for each
output format the grader writes: the terminal, JUnit XML, CSV, Markdown and HTML. Each writer
calls the function of its format on every piece of student text, and only on that: the
grader's own markup and colours stay.
"""

from __future__ import annotations

import html as _html
import re

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates (from undecodable file
# names) and the bidirectional overrides that reorder what a reader sees ("trojan source").
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)
# What XML 1.0 does not allow at all, and what it allows but a reader of a CI report should not
# meet raw: CR (which hides a line's start), C1 controls (an 8-bit CSI), bidirectional overrides
# and the Unicode line and paragraph separators.
_XML_UNSAFE = re.compile(
    "[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list
# What acts anywhere in a line; `_` between two letters or digits cannot (snake_case ids stay).
_MARKDOWN_INLINE = re.compile(r"([\\`*\[\]|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_MARKDOWN_LINE_START = re.compile(r"^(\d*)([#>+=\-.)])")  # a heading, quote, list item
_BACKTICKS = re.compile("`+")


def visible(char: str) -> str:
    """A character shown as its escape, `\\x1b`, `\\u202e`: it is seen, never obeyed."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str, keep_newlines: bool = True) -> str:
    """No escape sequence (CSI, OSC, bare ESC), C1 control, CR or backspace reaches a terminal:
    each control character is shown as its escape instead, so `ESC ] 0 ;` becomes `\\x1b]0;`."""
    text = _TERMINAL_UNSAFE.sub(lambda m: visible(m.group()), str(text))
    return text if keep_newlines else text.replace("\n", "\\n").replace("\t", "\\t")


def xml(text: str) -> str:
    """Text that XML 1.0 accepts and shows as it is: the characters it forbids, and the controls
    and overrides listed above, are shown as their escapes (the writer, xml.etree, escapes `<`,
    `&` and quotes)."""
    return _XML_UNSAFE.sub(lambda m: visible(m.group()), str(text))


def html(text: str) -> str:
    """HTML text or attribute value: `html.escape`, after what XML forbids (controls, lone
    surrogates, which would stop the page from being written as UTF-8) is shown as escapes."""
    return _html.escape(xml(text))


def csv_cell(value: object) -> object:
    """A cell a spreadsheet does not run: text starting with `=`, `+`, `-`, `@`, tab or CR gets a
    leading `'`; control characters, line breaks included, are shown as escapes (a CR would
    end the row: the csv module quotes only for the "\\n" line end). Numbers stay numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raw = str(value)
    text = terminal(raw, keep_newlines=False)
    return "'" + text if raw.startswith(_CSV_FORMULA) else text


def markdown_text(text: str) -> str:
    """Inline Markdown that reads as the text itself, on one line: emphasis, code, link, table
    and escape characters backslash-escaped, and a leading one that could start a block; `<`
    and `&` as HTML entities (so no raw HTML); controls and line breaks shown as escapes."""
    text = terminal(text, keep_newlines=False)
    text = _MARKDOWN_INLINE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", text)


def markdown_code_block(text: str, info: str = "text") -> str:
    """A fenced code block showing `text` verbatim: its fence is longer than any run of
    backticks inside, so the text cannot close it; controls are shown as escapes."""
    body = terminal(text)
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"
