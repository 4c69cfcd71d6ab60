"""The password policy, after KISA's guide for public systems (issue 17).

A password is accepted when it has at least `LONG` characters of two kinds or
`SHORT` of three (kinds: upper-case letters, lower-case letters, digits, and
symbols, which here means every other character, spaces and Hangul too), is
not the user's name nor contains it (without regard to case), and is not in
the list of common passwords shipped as `common_passwords.txt` (compared
without regard to case; see that file's header for where it comes from).

`problem(password, name)` names the first rule a password breaks (or None);
`check` raises it as a `BadArgument` whose message says what to do, in both
languages.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ksmart.errors import BadArgument
from ksmart.i18n import pair

LONG, SHORT = 10, 8  # characters needed with two kinds, with three
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
# A name shorter than this is refused only as the whole password: "containing" a two-letter
# name would refuse half the good passwords.
_NAME_INSIDE_FROM = 3


def kinds(password: str) -> int:
    """How many of the four kinds of character `password` uses."""
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    other = any(not (c.isupper() or c.islower() or c.isdigit()) for c in password)
    return upper + lower + digit + other


@functools.cache
def common() -> frozenset[str]:
    """The shipped common passwords, case-folded."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def problem(password: str, name: str = "") -> str | None:
    """The catalogue key (`security.password_*`) of the first rule broken, or None."""
    used = kinds(password)
    if not (len(password) >= LONG and used >= 2 or len(password) >= SHORT and used >= 3):
        return "security.password_short"
    folded, who = password.casefold(), name.strip().casefold()
    if who and (folded == who or len(who) >= _NAME_INSIDE_FROM and who in folded):
        return "security.password_name"
    if folded in common() or folded.strip() in common():
        return "security.password_common"
    return None


def meets(password: str, name: str = "") -> bool:
    return problem(password, name) is None


def check(password: str, name: str = "") -> str:
    """`password` if it meets the policy; else BadArgument saying which rule it breaks."""
    key = problem(password, name)
    if key is not None:
        raise BadArgument(key.split(".")[-1], *pair(key, long=LONG, short=SHORT))
    return password
