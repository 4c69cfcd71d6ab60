"""The sign-in and sign-out forms as plain HTML: posted to the server's own routes.

Plain forms (no script), because the answer must set an HttpOnly cookie,
which only an HTTP response can do. The same form sits in the sidebar
(`st.html`) and on the standalone page `/ksmart/sign-in` answers with (after a
refused attempt, or where the sidebar is hidden). Every text comes from the
catalogue and is escaped.
"""

from __future__ import annotations

from html import escape

from ksmart import i18n

SIGN_IN_PATH = "/ksmart/sign-in"
SIGN_OUT_PATH = "/ksmart/sign-out"

_STYLE = """<style>
.ks-auth {display: flex; flex-direction: column; gap: .4rem; word-break: keep-all; font-family: inherit}
.ks-auth label {font-size: .875rem}
.ks-auth input {font: inherit; padding: .4rem .5rem; border: 1px solid #9AA5B1; border-radius: .4rem}
.ks-auth button {font: inherit; padding: .4rem .8rem; border: 1px solid #08519C; border-radius: .4rem;
                 background: #08519C; color: #fff; cursor: pointer; align-self: flex-start}
.ks-auth .ks-error {color: #A61B1B}
</style>"""


# Field names no DOM property has: Streamlit's sanitiser (DOMPurify) drops `name="name"`,
# `name="lang"` and the like, which could shadow the form's own properties.
NAME, PASSWORD, NEXT, LANG = "ks_user", "ks_password", "ks_next", "ks_lang"


def _hidden(next_path: str, lang: str) -> str:
    return (f'<input type="hidden" name="{NEXT}" value="{escape(next_path)}">'
            f'<input type="hidden" name="{LANG}" value="{escape(lang)}">')


def sign_in_form(lang: str, next_path: str, error: str | None = None, name: str = "") -> str:
    t = lambda key: escape(i18n.t(key, lang))  # noqa: E731
    failure = f'<p class="ks-error" role="alert">{escape(error)}</p>' if error else ""
    return (f'{_STYLE}<form class="ks-auth" method="post" action="{SIGN_IN_PATH}">{failure}'
            f'<label for="ks-name">{t("auth.name")}</label>'
            f'<input id="ks-name" name="{NAME}" autocomplete="username" required value="{escape(name)}">'
            f'<label for="ks-password">{t("auth.password")}</label>'
            f'<input id="ks-password" name="{PASSWORD}" type="password" autocomplete="current-password" required>'
            f'{_hidden(next_path, lang)}<button type="submit">{t("auth.sign_in")}</button></form>')


def sign_out_form(lang: str, next_path: str) -> str:
    return (f'{_STYLE}<form class="ks-auth" method="post" action="{SIGN_OUT_PATH}">{_hidden(next_path, lang)}'
            f'<button type="submit">{escape(i18n.t("auth.sign_out", lang))}</button></form>')


def page(lang: str, body: str) -> str:
    """A whole page around `body` (the standalone sign-in page)."""
    title = escape(i18n.t("app.title", lang))
    return (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>'
            f'<body style="font-family: \'Malgun Gothic\', \'NanumGothic\', sans-serif; max-width: 24rem; '
            f'margin: 4rem auto; color: #1F2933"><h1 style="font-size: 1.4rem; word-break: keep-all">{title}</h1>'
            f'{body}</body></html>')
