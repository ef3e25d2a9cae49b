"""A small, safe Markdown subset for minutes: escape first, then format.

Supported: headings (``#`` to ``###``, shown one level below the page's), paragraphs, ``-``/``*``
bullet lists, ``1.`` numbered lists, ``**bold**``, ``*italic*``, and links ``[text](url)`` to
http, https and mailto addresses only. Everything else is shown as text: no raw HTML can pass.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^\s()\"'<>]+)\)")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")


def _inline(text: str) -> str:
    html = str(escape(text))
    html = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def render(source: str, *, base_level: int = 2) -> SafeString:
    """Markdown subset → HTML; ``#`` becomes ``<h{base_level}>``."""
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None

    def close_paragraph() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in source.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close_paragraph()
            close_list()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            close_paragraph()
            close_list()
            level = min(6, base_level + len(heading.group(1)) - 1)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            item = (bullet or numbered).group(1)  # type: ignore[union-attr]
            out.append(f"<li>{_inline(item)}</li>")
        else:
            close_list()
            paragraph.append(line)
    close_paragraph()
    close_list()
    return mark_safe("\n".join(out))  # every piece of text was escaped above
