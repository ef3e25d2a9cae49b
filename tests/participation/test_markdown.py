"""The minutes' Markdown renderer lets no HTML through, whatever the input."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tessere.participation.markdown import render

ALLOWED = re.compile(
    r"</?(p|br|h[2-6]|ul|ol|li|strong|em)>|<a href=\"(https?://|mailto:)[^\"<>]*\">|</a>"
)
PIECES = st.sampled_from(
    ["<script>", "</p>", "# ", "- ", "1. ", "**", "*", "[x](", "javascript:", ")", "\n", '"', "'"]
)


@given(st.lists(st.one_of(st.text(max_size=20), PIECES), max_size=30).map("".join))
def test_no_markup_escapes(source):
    html = str(render(source))
    leftover = ALLOWED.sub("", html)
    assert "<" not in leftover and ">" not in leftover


def test_links_keep_only_safe_schemes():
    html = str(render("[a](https://x.org/?q=1&r=2) [b](mailto:a@b.it) [c](data:text/html,x)"))
    assert '<a href="https://x.org/?q=1&amp;r=2">a</a>' in html
    assert '<a href="mailto:a@b.it">b</a>' in html
    assert "data:" in html and 'href="data' not in html
