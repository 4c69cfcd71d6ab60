"""K-Smart City 해외사업 파이프라인 대시보드: navigation and the shared sidebar.

The pages are declared in `ksmart/ui/pages.py`; the shared choices
(language, meeting mode, dates, filters) are made here, before the page runs.
"""

from ksmart import ui

page, view = ui.start()
with ui.running(view):
    page.run()
