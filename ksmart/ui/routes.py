"""The server's own HTTP routes: sign-in and sign-out (plain form posts).

    GET  /ksmart/sign-in    the standalone sign-in page (a form)
    POST /ksmart/sign-in    name + password -> session in the store, cookie, 303 to `next`
    POST /ksmart/sign-out   the session's row deleted, the cookie cleared, 303 to `next`

Both posts accept only a same-origin form (the Origin header, or the Referer
when a browser sends no Origin, must name this host): another site cannot
sign a user in as someone else, or out. `next` is a path of this site only
(no open redirect). A refused attempt answers with the standalone page and the
store's message; a store that fails answers with its friendly message, never
a traceback.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ksmart import i18n, settings
from ksmart.errors import KsmartError, PermissionDenied, StoreBusy
from ksmart.store import Store, open_store
from ksmart.ui import cookie, forms

_LOG = logging.getLogger(__name__)
_SAFE_NEXT = re.compile(r"/(?![/\\])[A-Za-z0-9_\-./?=&%]*")
_STORES: dict[str, Store] = {}


def store() -> Store:
    """The store of KSMART_DB_URL, opened once per server process (engines pool their connections)."""
    url = settings.get("KSMART_DB_URL")
    if url not in _STORES:
        _STORES[url] = open_store(url)
    return _STORES[url]


def safe_next(value: str | None) -> str:
    return value if value and _SAFE_NEXT.fullmatch(value) else "/"


def same_origin(request: Request) -> bool:
    """Whether the request was sent by a page of this very host (CSRF check)."""
    host = request.headers.get("host")
    source = request.headers.get("origin") or request.headers.get("referer")
    if not host or not source or source == "null":
        return False
    return urlsplit(source).netloc == host


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _lang(value: str | None) -> str:
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def _refused(lang: str, status: int) -> Response:
    return HTMLResponse(forms.page(lang, f"<p>{i18n.t('security.bad_origin', lang)}</p>"), status_code=status)


def set_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(cookie.NAME, cookie.sign(token), path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(cookie.NAME, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")


async def sign_in_page(request: Request) -> Response:
    lang = _lang(request.query_params.get("lang"))
    body = forms.sign_in_form(lang, safe_next(request.query_params.get("next")))
    return HTMLResponse(forms.page(lang, body))


async def sign_in(request: Request) -> Response:
    form = await request.form()
    lang, target = _lang(form.get(forms.LANG)), safe_next(form.get(forms.NEXT))
    if not same_origin(request):
        return _refused(lang, 403)
    name, password = str(form.get(forms.NAME) or ""), str(form.get(forms.PASSWORD) or "")
    try:
        _actor, token = await run_in_threadpool(store().open_session, name, password,
                                                client=client_address(request))
    except StoreBusy:  # located (the store's path or host) for the log and the signed-in pages, not for anyone
        _LOG.exception("sign-in could not use the store")
        message = i18n.t("error.store_unavailable", lang)
        return HTMLResponse(forms.page(lang, forms.sign_in_form(lang, target, message, name)), status_code=503)
    except KsmartError as exc:
        status = 401 if isinstance(exc, PermissionDenied) else 400
        return HTMLResponse(forms.page(lang, forms.sign_in_form(lang, target, exc.message(lang), name)),
                            status_code=status)
    except Exception:  # a broken store: logged here, a friendly message there
        _LOG.exception("sign-in failed")
        message = i18n.t("error.store_unavailable", lang)
        return HTMLResponse(forms.page(lang, forms.sign_in_form(lang, target, message, name)), status_code=503)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, token)
    return response


async def sign_out(request: Request) -> Response:
    form = await request.form()
    lang, target = _lang(form.get(forms.LANG)), safe_next(form.get(forms.NEXT))
    if not same_origin(request):
        return _refused(lang, 403)
    token = cookie.token_of(request.cookies)
    if token is not None:
        try:
            await run_in_threadpool(store().close_session, token)
        except Exception:  # the cookie goes anyway; the row expires when idle
            _LOG.exception("sign-out could not reach the store")
    response = RedirectResponse(target, status_code=303)
    clear_cookie(response, request)
    return response


def routes() -> list[Route]:
    return [
        Route(forms.SIGN_IN_PATH, sign_in_page, methods=["GET"]),
        Route(forms.SIGN_IN_PATH, sign_in, methods=["POST"]),
        Route(forms.SIGN_OUT_PATH, sign_out, methods=["POST"]),
    ]
