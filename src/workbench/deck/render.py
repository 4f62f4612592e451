"""Render a planned deck as one self-contained reveal.js HTML file (no network needed to show it).

reveal.js 5 (MIT), its white theme and the Source Sans Pro fonts (SIL OFL) are
vendored in ``vendor/`` (see ``vendor/README.md``) and inlined in every deck: the
board opens the file from a USB key or an e-mail, offline, and the arrow keys work.
"""

from __future__ import annotations

import base64
import re
from importlib import resources

import jinja2
from markdown_it import MarkdownIt

from workbench.deck.build import Deck

VENDOR = resources.files("workbench.deck") / "vendor"
FONTS = {"normal": "source-sans-pro-regular.woff", "600": "source-sans-pro-semibold.woff"}
# The candidate's markdown is rendered with raw HTML escaped: a deck never runs their markup.
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown(text: str) -> str:
    """Candidate markdown as HTML, raw HTML escaped."""
    return _MD.render(text)


def inline_markdown(text: str) -> str:
    """One line of markdown (a heading) as inline HTML."""
    return _MD.renderInline(text)


def plain(text: str) -> str:
    """A markdown line as plain text (page title, text alternatives)."""
    return re.sub(r"[*_`]", "", text).strip()


def _theme_css() -> str:
    # The theme imports its fonts from a relative file; inline them as data URIs instead.
    faces = "".join(
        "@font-face{font-family:'Source Sans Pro';font-style:normal;font-weight:%s;"
        "src:url(data:font/woff;base64,%s) format('woff')}"
        % (weight, base64.b64encode((VENDOR / name).read_bytes()).decode("ascii"))
        for weight, name in FONTS.items()
    )
    css = (VENDOR / "white.css").read_text(encoding="utf-8")
    return faces + re.sub(r"@import url\([^)]*\);", "", css)


def render_deck(deck: Deck, *, lang: str = "en") -> str:
    """The deck as one HTML page: reveal.js, its styles, fonts and figures all inlined."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("workbench.deck", "templates"),
                             autoescape=True, keep_trailing_newline=True)
    env.filters.update(markdown=markdown, inline=inline_markdown, plain=plain)
    return env.get_template("deck.html.j2").render(
        deck=deck, lang=lang,
        reveal_css=(VENDOR / "reveal.css").read_text(encoding="utf-8"),
        theme_css=_theme_css(),
        reveal_js=(VENDOR / "reveal.js").read_text(encoding="utf-8"),
    )
