"""Output hygiene: what allegiance writes for terminals and spreadsheets cannot act on them.

Article text, titles and file names come from anywhere. Printed raw, an escape sequence in a
title can rewrite a terminal and a bidirectional control can make a line read backwards; a
CSV cell that begins with ``=``, ``+``, ``-`` or ``@`` is a formula to a spreadsheet tool. The
helpers here make such values inert where they leave the program, and leave data formats
(JSON, Parquet) their values.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 controls, DEL, and the format characters that reorder or hide text.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# What JSON may carry raw but a terminal would act on (json.dumps escapes C0 itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
# The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """Text for a terminal: control and format characters shown as escapes (``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


def printable_lines(text: str) -> str:
    """``printable`` line by line: a table or report keeps its newlines."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` whose output is safe to print: the characters a terminal would act on
    are written as JSON ``\\u`` escapes, so the data reads back the same."""
    text = json.dumps(value, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cell(value: Any) -> Any:
    """A CSV or TSV cell a spreadsheet shows as text: a string that would start a formula
    gets a leading apostrophe, as spreadsheet tools expect. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sql_cell(column: str, unquoted: bool = False) -> str:
    """The DuckDB expression of ``cell`` for a text column of an export; ``unquoted`` for a
    file without quoting (GDELT's tab-separated tables): tabs and line breaks become spaces."""
    quoted = '"' + column.replace('"', '""') + '"'
    value = f"regexp_replace({quoted}, '[\\t\\r\\n]+', ' ', 'g')" if unquoted else quoted
    return (
        f"CASE WHEN left({value}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        f"THEN '''' || {value} ELSE {value} END AS {quoted}"
    )
