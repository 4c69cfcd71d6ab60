"""ksmart's exceptions, translated to messages and exit codes at the edges.

    KsmartError                 base; carries a stable `code` and ko/en messages
    ├── FileRejected            the whole file is unusable (exit 2): not xlsx, encrypted, bomb…
    ├── BadArgument             unknown version, bad date, bad option (exit 2)
    ├── StoreBusy               another writer holds the store, or it is unreachable (exit 3)
    └── PermissionDenied        the user's role does not allow this write (exit 2)
"""

from __future__ import annotations


class KsmartError(Exception):
    exit_code = 2

    def __init__(self, code: str, message_ko: str, message_en: str | None = None, **details):
        super().__init__(message_en or message_ko)
        self.code = code
        self.message_ko = message_ko
        self.message_en = message_en or message_ko
        self.details = details

    def message(self, lang: str = "ko") -> str:
        return self.message_ko if lang == "ko" else self.message_en


class FileRejected(KsmartError):
    exit_code = 2


class BadArgument(KsmartError):
    exit_code = 2


class StoreBusy(KsmartError):
    exit_code = 3


class PermissionDenied(KsmartError):
    exit_code = 2
