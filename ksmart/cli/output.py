"""What the command line writes is safe for a terminal: control characters become visible escapes.

Why: cells, notes, names and the audit log's details come from users, and a
cell holding `ESC[2J` (clear the screen) or an OSC sequence (set the window
title, on some terminals write to the clipboard) would act on the analyst's
terminal when `validate` or `versions --audit` prints it. `main` wraps stdout
and stderr once for the whole command (`clean_streams`), so no command can
forget it: every control character except newline and tab (C0, DEL, C1) and
the bidirectional overrides that reorder a line on screen is written as
`\\uXXXX`. Inside JSON output that is the same character again (json.dumps
already escapes C0; a C1 or bidi character only occurs inside strings), so
`--json` stays exact. Newlines and tabs are the output's structure; where a
user's value sits inside one line (a report line, a table cell) `one_line`
writes its own breaks as escapes too.
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import Iterator, TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """A value shown inside a line of a report or a table: its own line breaks and tabs
    written as `\\n`, `\\r`, `\\t`, so a cell cannot start a line that looks like ours."""
    return str(text).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def clean(text: str) -> str:
    """`text` with every unsafe character written as a `\\uXXXX` escape (newline and tab kept)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class CleanStream:
    """A text stream that cleans what is written to it, and passes everything else on."""

    def __init__(self, inner: TextIO):
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(clean(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@contextlib.contextmanager
def clean_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr cleaned while the block runs (then put back)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(out), CleanStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
