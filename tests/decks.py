"""What the deck tests share (test_deck.py, test_deck_render.py): long Korean names, a
selection with no project, and a snapshot whose every text is made long.
"""

from __future__ import annotations

from ksmart.analytics import metrics
from ksmart.store import Snapshot

LONG_KO = "압둘라 신도시 스마트시티 통합운영센터 및 스마트 교통·에너지·물관리 연계 구축 시범사업 2단계 확장 추진 계획"
NOTHING = metrics.Filters(countries=("KWT",), stages=("implementation",))  # Kuwait has no project in 이행


def read(shape_or_cell) -> str:
    """The text of a slide shape or table cell as a reader reads it: the line breaks the deck
    writes between words (`measure.break_between_words`, python-pptx reads them as "\v") are spaces."""
    return shape_or_cell.text_frame.text.replace("\v", " ")


def longer(snapshot, text: str):
    """`snapshot` with every project, report, event and policy text made long."""
    frames = {k: v.copy() for k, v in snapshot.frames.items()}
    projects = frames["projects"]
    projects["name"] = [f"{text} {i}"[:60] for i in range(len(projects))]
    projects["name_en"] = ("Abdullah New Town integrated smart city operations centre phase two " * 2)[:60]
    projects["next_step"] = text[:60]
    frames["reports"]["title"] = text[:60]
    frames["reports"]["summary"] = text * 2
    frames["countries"]["policy"] = text * 2
    frames["countries"]["attache_post"] = text[:40]
    frames["events"]["name"] = text[:60]
    return Snapshot(snapshot.version, frames)
