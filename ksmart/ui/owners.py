"""Which signed-in user each Streamlit session of this server ran for, and whose files are whose.

The download guard (`ksmart.ui.guard`) asks it: a file a session made while
signed in is that user's, and `/media/…` serves it only with that user's
cookie. `note` runs at the start of every run, `note_files` at its end (the
files the page then shows; Streamlit's own map of them is private, and empty
for a session while it reruns). A plain dict under a lock, not `st.cache_*`: no client message empties it.
It is never a source of identity for a run (that is the cookie, every run).
"""

from __future__ import annotations

import threading

_LOCK = threading.Lock()
_USER_BY_SESSION: dict[str, str | None] = {}  # None: ran without a sign-in
_USERS_BY_FILE: dict[str, set[str]] = {}
_MAX = 5000  # then the sessions that ended are dropped (their files then need a cookie: fail closed)
_MAX_FILES = 50_000  # then the oldest entries go (Streamlit has long dropped those files)


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def note(actor) -> None:
    """Record this run's user (None or the open viewer: nobody) for this session."""
    session_id = _session_id()
    if session_id is None:
        return
    name = actor.name if actor is not None and actor.via in ("password", "oidc") else None
    with _LOCK:
        # Never downgraded: someone who takes the session over without the cookie runs it as
        # nobody, and must not turn the signed-in user's files into open ones by doing so.
        if name is not None or session_id not in _USER_BY_SESSION:
            _USER_BY_SESSION[session_id] = name
        if len(_USER_BY_SESSION) > _MAX:
            _forget_ended()


UNKNOWN = object()  # a session this registry never saw (or forgot): the guard treats it as signed in


def user_of(session_id: str):
    """The user name, None (ran without a sign-in), or UNKNOWN."""
    with _LOCK:
        return _USER_BY_SESSION.get(session_id, UNKNOWN)


def media_map() -> dict | None:
    """Streamlit's session -> {element: media file id} map, private to its MediaFileManager
    (tests/test_security_http.py pins it); None without it, and then every download needs a sign-in."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    return getattr(runtime.get_instance().media_file_mgr, "_files_by_session_and_coord", None)


def note_files() -> None:
    """At the end of a run: the files this session's page shows are its user's (if signed in)."""
    session_id = _session_id()
    mapping = media_map()
    if session_id is None or mapping is None:
        return
    with _LOCK:
        user = _USER_BY_SESSION.get(session_id)
    if user is None:
        return
    files = list(dict(mapping.get(session_id) or {}).values())
    with _LOCK:
        for file_id in files:
            _USERS_BY_FILE.setdefault(file_id, set()).add(user)
        while len(_USERS_BY_FILE) > _MAX_FILES:
            del _USERS_BY_FILE[next(iter(_USERS_BY_FILE))]


def file_users(file_id: str) -> list[str]:
    with _LOCK:
        return sorted(_USERS_BY_FILE.get(file_id, ()))


def _forget_ended() -> None:
    from streamlit import runtime

    if not runtime.exists():
        return
    live = runtime.get_instance()
    for session_id in [s for s in _USER_BY_SESSION if not live.is_active_session(s)]:
        del _USER_BY_SESSION[session_id]
