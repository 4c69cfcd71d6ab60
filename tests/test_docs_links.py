"""The docs stay true and stay inside the repository.

docs/reference.md is exactly what scripts/make_docs.py writes from ksmart's
tables (run `make docs` after changing a table or a message), and every link
in README.md and docs/*.md points to a file (and heading) of this repository:
nothing cites a folder beside the clone or a web page.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Web addresses a doc may link to. Empty on purpose: the dashboard runs on networks
# without internet, so what a reader needs is written here. Add one only with a reason.
ALLOWED_URLS: frozenset[str] = frozenset()

_FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prose(text: str) -> str:
    """The text without fenced code blocks and code spans: what a renderer turns into links."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def links(text: str) -> list[str]:
    prose = _prose(text)
    return [m.group(1) for pattern in (_INLINE_LINK, _REFERENCE_LINK, _AUTOLINK, _HTML_LINK)
            for m in pattern.finditer(prose)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    kept = "".join(c for c in text if c.isalnum() or c in " -_" or unicodedata.category(c).startswith("M"))
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for heading in _HEADING.findall(_FENCE.sub("", text)):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def _cases():
    for doc in DOCS:
        for target in dict.fromkeys(links(doc.read_text(encoding="utf-8"))):
            yield pytest.param(doc, target, id=f"{doc.relative_to(ROOT)}->{target}")


# --- the generated reference ------------------------------------------------------


def test_generated_docs_are_what_make_docs_writes():
    for rel, text in _load_generator().outputs().items():
        path = ROOT / rel
        assert path.exists(), f"{rel} is missing: run `make docs`"
        assert path.read_text(encoding="utf-8") == text, f"{rel} is out of date: run `make docs`"


def test_the_reference_names_every_reason_code_sheet_and_column():
    from ksmart import reference as ref
    from ksmart.ingest import messages

    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    for code in messages.REASONS:
        assert f"| `{code}` | {messages.REASONS[code]} |" in text
        for lang in ("ko", "en"):
            assert messages.template(code, lang).replace("|", "\\|") in text
    for sheet in ref.SHEETS.values():
        assert f"### Columns of {sheet.key}" in text
        for col in sheet.columns:
            assert f"| `{col.key}` | {', '.join(col.ko)} | {', '.join(col.en)} | {col.type} |" in text


def test_make_docs_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    """`--check` can fail: a changed copy of the reference is reported, and not rewritten."""
    generator = _load_generator()
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    stale = tmp_path / generator.REFERENCE
    stale.write_text(generator.render().replace("missing_column", "gone_column"), encoding="utf-8")
    assert generator.main(["--check"]) == 1
    assert "gone_column" in stale.read_text(encoding="utf-8")
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0


# --- links --------------------------------------------------------------------------


@pytest.mark.parametrize(("doc", "target"), list(_cases()))
def test_every_link_points_into_the_repository(doc, target):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # a scheme: http:, mailto:, file:
        assert target in ALLOWED_URLS, f"{doc.name} links outside the repository: {target}"
        return
    path_part, _, fragment = target.partition("#")
    file = (doc.parent / path_part).resolve() if path_part else doc
    assert file.is_relative_to(ROOT), f"{doc.name} links outside the repository: {target}"
    assert file.exists(), f"{doc.name} links to a missing file: {target}"
    if fragment and file.suffix == ".md":
        assert fragment in anchors(file.read_text(encoding="utf-8")), f"{doc.name}: no heading #{fragment} in {file.name}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_nothing_cites_the_folder_beside_the_clone(doc):
    """The specs beside the repository are not shipped with it: the docs carry what they need."""
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text and "shared/spec" not in text


def test_the_readme_links_every_doc():
    readme = {(ROOT / t.partition("#")[0]).resolve() for t in links((ROOT / "README.md").read_text(encoding="utf-8"))}
    missing = [d.name for d in DOCS[1:] if d.resolve() not in readme]
    assert not missing, f"docs not linked from README.md: {missing}"


@pytest.mark.parametrize(("text", "expected"), [
    ("see [a](docs/a.md) and ![b](img.png \"t\")", ["docs/a.md", "img.png"]),
    ("`[not](a link)` and\n```\n[nor](this)\n```\n", []),
    ("[ref]: ../shared/spec/cli.md\n", ["../shared/spec/cli.md"]),
    ("<https://example.org/x> and <a href=\"http://x.org\">x</a>", ["https://example.org/x", "http://x.org"]),
])
def test_links_are_found(text, expected):
    assert sorted(links(text)) == sorted(expected)


@pytest.mark.parametrize(("heading", "expected"), [
    ("Command line / 명령줄", "command-line--명령줄"),
    ("Columns of projects", "columns-of-projects"),
    ("Yes, no, empty and footnotes", "yes-no-empty-and-footnotes"),
    ("Command line: `.venv/bin/python -m ksmart` / 명령줄", "command-line-venvbinpython--m-ksmart--명령줄"),
])
def test_slugs_follow_github(heading, expected):
    assert slug(heading) == expected
