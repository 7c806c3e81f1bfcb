"""The escaping functions (grader/reports/escape.py) and the bounded reply decoder
(grader/wire/reply_limits.py), one format or limit at a time."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from xml.etree import ElementTree

import pytest

from grader.reports import escape
from grader.reports.junit import junit_xml
from grader.wire import reply_limits
from grader.wire.protocol import ProtocolError, decode
from grader.workbook.results import CheckResult, ExerciseResult, Status, SubmissionResult

CONTROLS = "".join(map(chr, range(0x20))) + "".join(map(chr, range(0x7F, 0xA0)))
HOSTILE = [
    "\x1b]0;pwned title\x07\x1b[31mred\x1b[0m",
    '=HYPERLINK("http://x","y")',
    "<script>alert(1)</script>",
    "```",
    "a ```` b",
    CONTROLS,
    "\ud800 lone surrogate",
    "\u202eevil",
    "-1+2",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "# heading",
    "> quote",
    "1. item",
    "[link](javascript:x)",
    "a & b <b>",
    "\ufffe\uffff",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_has_no_control_character_but_newline_and_tab(text):
    shown = escape.terminal(text)
    assert not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]", shown
    )
    assert "\n" not in escape.terminal(text, keep_newlines=False)
    shown.encode("utf-8")  # no lone surrogate left to break a terminal's encoding


def test_terminal_shows_escape_sequences_visibly():
    assert escape.terminal("\x1b[31mred\r\x08") == "\\x1b[31mred\\x0d\\x08"
    assert escape.terminal("plain text\nline two\ttab") == "plain text\nline two\ttab"


@pytest.mark.parametrize("text", HOSTILE)
def test_xml_text_parses_in_an_element_and_an_attribute(text):
    element = ElementTree.Element("e", attribute=escape.xml(text))
    element.text = escape.xml(text)
    parsed = ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode"))
    expected = escape.xml(text).replace("\r\n", "\n").replace("\r", "\n")
    assert parsed.text.replace("\r", "\n") == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_has_no_markup_and_encodes(text):
    shown = escape.html(text)
    assert "<" not in shown and ">" not in shown and '"' not in shown
    shown.encode("utf-8")


def test_xml_shows_what_a_reader_should_not_meet_raw():
    """Red team: raw CR, an 8-bit CSI, a bidi override and a line separator reached junit.xml."""
    shown = escape.xml("a\rb\x9bc\u202ed\u2028e\x85f")
    assert not re.search("[\r\x80-\x9f\u202a-\u202e\u2028\u2029]", shown), repr(shown)
    assert shown == "a\\x0db\\x9bc\\u202ed\\u2028e\\x85f"


def test_xml_keeps_text_xml_allows():
    assert escape.xml("tab\tnewline\n<&> é 😀") == "tab\tnewline\n<&> é 😀"


def test_junit_of_hostile_ids_and_messages_parses():
    check = CheckResult("c", Status.FAILED, 0.0, 1.0, CONTROLS + "\n<script>")
    results = {name: SubmissionResult({"x": ExerciseResult("x", 1.0, [check])}) for name in HOSTILE}
    suites = ElementTree.fromstring(junit_xml(results).encode("utf-8")).findall("testsuite")
    assert len(suites) == len(HOSTILE)


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_never_starts_a_formula(text):
    cell = escape.csv_cell(text)
    assert not str(cell).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not re.search("[\x00-\x1f\x7f-\x9f]", cell)  # a CR would end the row
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert cell == "'" + escape.terminal(text, keep_newlines=False)
    else:
        assert cell == escape.terminal(text, keep_newlines=False)


def test_csv_rows_stay_rows():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[escape.csv_cell("a\rb\nc"), 1], [escape.csv_cell("\tx"), 2]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["a\\x0db\\nc", "1"],
        ["'\\tx", "2"],
    ]


def test_csv_numbers_stay_numbers():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([escape.csv_cell(v) for v in (3, -2, 1.5, -0.25, "-2")])
    assert buffer.getvalue().strip() == "3,-2,1.5,-0.25,'-2"


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_one_line_without_html_or_markup(text):
    shown = escape.markdown_text(text)
    assert "\n" not in shown and "<" not in shown and "\x1b" not in shown
    assert not re.search(r"(?<!\\)[`*\[\]|~]", shown), shown  # every such character escaped
    assert not re.search(r"(?<![\\0-9A-Za-z])_|(?<!\\)_(?![0-9A-Za-z])", shown), shown
    assert not re.match(r"\d*[#>+=\-.)]", shown)


def test_markdown_text_leaves_plain_ids_alone():
    assert escape.markdown_text("eve o'neil, empty-folder 2") == "eve o'neil, empty-folder 2"
    assert escape.markdown_text("wrong-flipped_kernel") == "wrong-flipped_kernel"
    assert escape.markdown_text("__init__ _x_") == "\\_\\_init\\_\\_ \\_x\\_"
    assert escape.markdown_text("a & b <c>") == "a &amp; b &lt;c>"


@pytest.mark.parametrize("text", HOSTILE + ["````` and ``` and `", "```\n```"])
def test_markdown_code_block_fence_is_longer_than_any_backtick_run(text):
    block = escape.markdown_code_block(text).split("\n")
    fence = block[0].removesuffix("text")
    assert set(fence) == {"`"} and len(fence) >= 3 and block[-1] == fence
    inner = "\n".join(block[1:-1])
    assert "`" * len(fence) not in inner
    assert "\x1b" not in inner


# -- the bounded decoder ------------------------------------------------------------------------


def test_honest_replies_decode():
    body = json.dumps({"ok": True, "value": [1, -2.5, "x", {"$t": "tuple", "items": [[[3]]]}]})
    assert decode(reply_limits.loads_reply(body.encode())["value"]) == [1, -2.5, "x", ([[3]],)]


@pytest.mark.parametrize(
    "body, words",
    [
        (b"[" + b"[]," * 200_000 + b"[]]", "more than 100,000 values"),
        (b'["' + b'","' * 300_000 + b'"]', "more than 100,000 values"),
        (b"[" * 101 + b"]" * 101, "nested more than 100 levels deep"),
        (b'{"value":' + b"7" * 5000 + b"}", "a number of 5,000 digits"),
        (b'{"value":1.' + b"5" * 5000 + b"}", "a number of 5,002 characters"),
    ],
)
def test_replies_over_a_limit_are_refused_before_they_are_built(body, words):
    with pytest.raises(reply_limits.AnswerTooLarge, match=words):
        reply_limits.loads_reply(body)


def test_brackets_inside_strings_do_not_count():
    body = json.dumps({"message": "[" * 10_000 + "," * 200_000}).encode()
    assert reply_limits.loads_reply(body)["message"].startswith("[[")


@pytest.mark.parametrize("body", [b'{"a": NaN}', b"\xff\xfe", b'"unterminated', b"]]]]", b"{"])
def test_malformed_replies_are_protocol_errors(body):
    with pytest.raises(ProtocolError):
        reply_limits.loads_reply(body)


def test_a_frame_over_the_cap_is_refused_from_its_header():
    with pytest.raises(reply_limits.AnswerTooLarge, match="more than the limit of 16.0 MB"):
        reply_limits.reply_length(struct.pack(">Q", 64 * 1024 * 1024))
    assert reply_limits.reply_length(struct.pack(">Q", 1000)) == 1000


@pytest.mark.parametrize(
    "node",
    [
        {"$t": "tensor", "dtype": "float32", "shape": [2**40, 2**40], "data": ""},
        {"$t": "tensor", "dtype": "float32", "shape": [0, 2**63], "data": ""},
        {"$t": "ndarray", "dtype": "float32", "shape": [0, 2**62], "data": ""},
        {"$t": "tensor", "dtype": "uint8", "shape": [6_000_000], "data": "AAAA" * 2_000_000},
        {"$t": "npscalar", "dtype": "float32", "value": [1, 2, 3]},
        {"$t": "npscalar", "dtype": "int8", "value": 10**30},
    ],
)
def test_hostile_tensor_headers_are_protocol_errors(node):
    with pytest.raises(ProtocolError):
        decode(node)


def test_cut_says_how_much_was_cut():
    assert reply_limits.cut("x" * 10) == "x" * 10
    assert reply_limits.cut("x" * 2500) == "x" * 2000 + "\n[cut: 500 more characters not shown]"
