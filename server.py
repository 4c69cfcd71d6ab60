"""The dashboard's server: Streamlit's `st.App` around app.py, with ksmart's sign-in
routes and security middleware (`ksmart/ui/server.py`). Start it with
`streamlit run server.py` (make run, deploy/ksmart@.service) or `uvicorn server:app`.
"""

import streamlit as st

from ksmart.ui import server

server.configure()
app = st.App("app.py", routes=server.routes(), middleware=server.middleware())
