"""지시사항 Follow-up: each steering committee's directives with owner, due date, status and result; overdue first."""

from ksmart import ui

view = ui.page("followup")
ui.followup.page(view)
ui.as_written(view)
