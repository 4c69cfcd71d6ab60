"""A raw client of Streamlit's own protocol, as an attacker on the network would write one:
a WebSocket to `/_stcore/stream` speaking protobuf (BackMsg up, ForwardMsg down), and
the plain HTTP requests around it (sign-in form post, uploads).

    Client(base, cookie=None, session_id=None)   connect (reconnect to `session_id`)
    client.run(page="")                          one rerun; the bytes of everything it drew
    client.send(back_msg) / client.close()
    sign_in(base, name, password)                the session cookie's value (the HTTP route)
    sign_out(base, cookie)                       the sign-out route's status
    xsrf(base)                                   Streamlit's XSRF cookie, for uploads
    upload(base, session_id, data, …)            PUT /_stcore/upload_file/<session>/<file>: status
"""

from __future__ import annotations

import http.client
import secrets
import urllib.error
import urllib.parse
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

COOKIE = "ksmart_session"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener():
    return urllib.request.build_opener(_NoRedirect)


def sign_in(base: str, name: str, password: str) -> str:
    """Post the sign-in form as the sidebar's form does; the cookie's value (AssertionError if refused)."""
    body = urllib.parse.urlencode({"ks_user": name, "ks_password": password, "ks_next": "/", "ks_lang": "ko"}).encode()
    request = urllib.request.Request(f"{base}/ksmart/sign-in", data=body, method="POST",
                                     headers={"Origin": base, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        response = _opener().open(request, timeout=30)
        status, headers = response.status, response.headers
    except urllib.error.HTTPError as exc:
        status, headers = exc.code, exc.headers
    assert status == 303, status
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie, cookie
    return cookie.split(";")[0].split("=", 1)[1]


def sign_out(base: str, cookie: str) -> int:
    """Post the sign-out form with the cookie; the HTTP status (303 when it went through)."""
    body = urllib.parse.urlencode({"ks_next": "/", "ks_lang": "ko"}).encode()
    request = urllib.request.Request(f"{base}/ksmart/sign-out", data=body, method="POST",
                                     headers={"Origin": base, "Cookie": f"{COOKIE}={cookie}",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        return _opener().open(request, timeout=30).status
    except urllib.error.HTTPError as exc:
        return exc.code


def xsrf(base: str) -> str:
    response = urllib.request.urlopen(f"{base}/_stcore/health", timeout=30)  # it sets the cookie
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("_streamlit_xsrf="):
            return header.split(";")[0].split("=", 1)[1]
    raise AssertionError("no XSRF cookie")


def upload(base: str, session_id: str, data: bytes, *, cookie: str | None = None, token: str | None = None) -> int:
    """PUT one file into `session_id`'s uploads as the file uploader does; the HTTP status."""
    token = token or xsrf(base)
    boundary = secrets.token_hex(8)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    cookies = f"_streamlit_xsrf={token}" + (f"; {COOKIE}={cookie}" if cookie else "")
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.putrequest("PUT", f"/_stcore/upload_file/{session_id}/{secrets.token_hex(8)}")
    for name, value in {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token,
                        "Cookie": cookies, "Origin": base, "Content-Length": str(len(body))}.items():
        conn.putheader(name, value)
    conn.endheaders()
    try:
        conn.send(body)
    except (BrokenPipeError, ConnectionResetError):  # refused before the body was read: the answer is there
        pass
    try:
        return conn.getresponse().status
    finally:
        conn.close()


class Client:
    """One WebSocket connection to the app's session (a new one, or `session_id`'s)."""

    def __init__(self, base: str, cookie: str | None = None, session_id: str | None = None):
        from websockets.sync.client import connect

        url = base.replace("http://", "ws://") + "/_stcore/stream"
        # Streamlit reads its subprotocol header by position: name, XSRF token, session to resume.
        protocols = ["streamlit", "xsrf-not-used", *([session_id] if session_id else [])]
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        self.ws = connect(url, subprotocols=protocols, additional_headers=headers, max_size=None,
                          open_timeout=30).__enter__()  # close() leaves it
        self.session_id: str | None = None

    def send(self, msg: BackMsg) -> None:
        self.ws.send(msg.SerializeToString())

    def clear_caches(self) -> None:
        msg = BackMsg()
        msg.clear_cache = True
        self.send(msg)

    def run(self, page: str = "", timeout: float = 90) -> bytes:
        """Rerun the script on `page` (a URL path, "" the home page); everything the run
        sent, as bytes (protobuf keeps strings as UTF-8, so texts can be searched in it)."""
        msg = BackMsg()
        msg.rerun_script.CopyFrom(ClientState(query_string="", page_name=page))
        self.send(msg)
        seen = []
        while True:
            frame = self.ws.recv(timeout=timeout)
            forward = ForwardMsg()
            forward.ParseFromString(frame)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            seen.append(frame)
            if kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return b"".join(seen)

    def close(self) -> None:
        self.ws.close()
