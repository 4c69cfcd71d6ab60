"""The `st.App` entry's parts: Streamlit settings, routes and middleware (server.py uses them).

    configure()    the Streamlit options the deployment must not get wrong:
                   no error details for the browser, the upload limit from
                   KSMART_MAX_UPLOAD_MB, XSRF protection on, the agent API off
    routes()       sign-in and sign-out (`ksmart.ui.routes`)
    middleware()   security headers, the dropped "clear caches" message, the
                   upload and download guards (`ksmart.ui.guard`)
"""

from __future__ import annotations

import math

from starlette.middleware import Middleware

from ksmart import settings
from ksmart.ui import guard
from ksmart.ui import routes as sign_in_routes

ENTRY = "ksmart entry (server.py)"


def options() -> dict[str, object]:
    return {
        "client.showErrorDetails": "none",  # a traceback shows server paths (issue 17, point 4)
        "server.maxUploadSize": max(1, math.ceil(float(settings.get("KSMART_MAX_UPLOAD_MB")))),
        "server.enableXsrfProtection": True,
        "server.enableAgentApi": False,
    }


def configure() -> None:
    from streamlit import config

    for key, value in options().items():
        config.set_option(key, value, where_defined=ENTRY)


def routes():
    return sign_in_routes.routes()


def middleware() -> list[Middleware]:
    return [Middleware(guard.Guard)]
