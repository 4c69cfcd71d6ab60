"""A socket guard for Python processes the tests start: any attempt to reach
another machine is written to a log (and, in block mode, refused).

`guard_env(folder)` writes a `sitecustomize.py` into `folder` and returns the
environment that makes a Python process load it (PYTHONPATH first, so it wins
over any other sitecustomize). The guard wraps `socket.getaddrinfo` and
`socket.socket.connect/connect_ex/sendto`: names and addresses other than
loopback (127.0.0.0/8, ::1, localhost) and Unix sockets are logged, one line
each with the caller's last frames. Every guarded process also writes its pid
to `<log>.loaded`, so a test can tell "nothing was attempted" from "the guard
never ran".

Used by test_offline_guard.py (the app serving every page) and
test_bundle.py (the offline install and the installed app).
"""

from __future__ import annotations

import os
from pathlib import Path

SITECUSTOMIZE = r'''
"""Socket guard installed by the ksmart tests (tests/socket_guard.py)."""
import ipaddress
import os
import socket
import traceback

_LOG = os.environ.get("KSMART_SOCKET_GUARD_LOG")
_BLOCK = os.environ.get("KSMART_SOCKET_GUARD_BLOCK") == "1"
_LOCAL_NAMES = {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _is_local(host):
    if host is None:
        return True
    if isinstance(host, (bytes, bytearray)):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0].lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or ip.is_unspecified or bool(mapped and mapped.is_loopback)


def _note(kind, host, port):
    stack = "".join(traceback.format_stack(limit=8)[:-2]).replace("\n", " | ")
    line = f"{kind} {host}:{port} pid={os.getpid()} :: {stack}\n"
    fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8", "replace"))
    finally:
        os.close(fd)
    if _BLOCK:
        raise OSError(101, f"socket guard: no outside connections ({kind} {host}:{port})")


def _inet(sock, address):
    return sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)


if _LOG:
    _getaddrinfo = socket.getaddrinfo
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _sendto = socket.socket.sendto

    def getaddrinfo(host, port, *args, **kwargs):
        if not _is_local(host):
            _note("getaddrinfo", host, port)
        return _getaddrinfo(host, port, *args, **kwargs)

    def connect(self, address):
        if _inet(self, address) and not _is_local(address[0]):
            _note("connect", address[0], address[1])
        return _connect(self, address)

    def connect_ex(self, address):
        if _inet(self, address) and not _is_local(address[0]):
            _note("connect_ex", address[0], address[1])
        return _connect_ex(self, address)

    def sendto(self, data, *args):
        address = args[-1]
        if _inet(self, address) and not _is_local(address[0]):
            _note("sendto", address[0], address[1])
        return _sendto(self, data, *args)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    with open(_LOG + ".loaded", "a") as _f:
        _f.write(f"{os.getpid()}\n")
'''


def guard_env(folder: Path, *, block: bool = False) -> tuple[dict[str, str], Path]:
    """(environment additions, log file) for guarded Python processes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = folder / "outside.log"
    log.touch()
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "KSMART_SOCKET_GUARD_LOG": str(log),
            "KSMART_SOCKET_GUARD_BLOCK": "1" if block else "0"}, log


def loaded_pids(log: Path) -> set[int]:
    marker = Path(str(log) + ".loaded")
    return {int(x) for x in marker.read_text().split()} if marker.exists() else set()


def attempts(log: Path) -> list[str]:
    return log.read_text().splitlines()
