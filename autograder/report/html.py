"""A tiny HTML builder that escapes by construction, and the page skeleton every output shares.

Text passed to :func:`tag` is escaped unless it is :class:`Html` (built by
:func:`tag` itself or by :func:`raw`, used only for the style sheet and the
document shell). Pages are self-contained: inline CSS, images as ``data:``
URLs, and a Content-Security-Policy that allows no script at all, so even a
mistake in escaping could not run student code in a reader's browser.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_VOID = frozenset({"meta", "img", "br", "hr", "link", "col"})

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic",
       "Noto Sans", sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1d2430;
       line-height: 1.5; word-break: keep-all; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d8dde6; padding-bottom: .25rem; }
.meta { color: #5a6577; margin: .1rem 0; }
.score { font-size: 2rem; font-weight: 700; margin: .5rem 0; }
.note { background: #f4f6fa; border-left: 4px solid #8a96aa; padding: .5rem .75rem; }
.late { background: #fff6e0; border-left: 4px solid #d9a400; padding: .5rem .75rem; }
.bad { background: #fdecec; border-left: 4px solid #c62828; padding: .5rem .75rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d8dde6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f6fa; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.checks { table-layout: fixed; }
table.checks col.result { width: 5rem; } table.checks col.check { width: 30%; }
table.checks col.visibility { width: 6.5rem; } table.checks col.points { width: 6rem; }
td.passed { color: #1b7f3b; font-weight: 600; white-space: nowrap; }
td.failed, td.error, span.failed { color: #c62828; font-weight: 600; white-space: nowrap; }
td.skipped { color: #6b7280; white-space: nowrap; }
code { font-family: "Noto Sans Mono CJK KR", "DejaVu Sans Mono", ui-monospace, monospace; font-size: .88em;
       background: #f1f3f7; padding: 0 .2em; border-radius: .2em; }
.tag { display: inline-block; font-size: .8rem; padding: 0 .4rem; border-radius: .6rem; background: #e8ebf2;
       white-space: nowrap; }
.tag.hidden { background: #ece4f7; }
/* output keeps its lines (model.summary() tables): wide lines scroll sideways instead of wrapping; box-drawing
   characters from DejaVu Sans Mono, one column wide (CJK fonts draw them two wide), Hangul from the CJK font */
pre { background: #f7f7f9; border: 1px solid #e1e4ea; padding: .6rem; overflow-x: auto; white-space: pre;
      overflow-wrap: normal; word-break: normal; max-width: 100%;
      font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK KR", ui-monospace, monospace; font-size: .85rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e1e4ea; }
footer { margin-top: 3rem; color: #6b7280; font-size: .85rem; }
"""


class Html(str):
    """Markup that is already safe to insert."""

    __slots__ = ()


def raw(markup: str) -> Html:
    """Trust ``markup`` as HTML (only for text this module writes itself)."""
    return Html(markup)


def text(value: object) -> Html:
    """``value`` as escaped text."""
    return Html(html.escape(str(value), quote=True))


def _children(children: Iterable[object]) -> str:
    parts: list[str] = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, Html):
            parts.append(child)
        elif isinstance(child, str | int | float):
            parts.append(text(child))
        else:
            parts.append(_children(child))  # type: ignore[arg-type]
    return "".join(parts)


def tag(element: str, /, *children: object, **attributes: object) -> Html:
    """``<element attributes>children</element>``; attribute names take ``_`` for ``-``, ``class_`` for class."""
    attrs = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{html.escape(str(value), quote=True)}"'
        for key, value in attributes.items() if value is not None and value is not False)
    if element in _VOID:
        return Html(f"<{element}{attrs}>")
    return Html(f"<{element}{attrs}>{_children(children)}</{element}>")


def join(*children: object) -> Html:
    """Children side by side, escaped as :func:`tag` escapes them."""
    return Html(_children(children))


def prose(value: str) -> Html:
    """A catalogue message as text, with its `backticked` names set as code."""
    parts = value.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: plain text
        return text(value)
    return join(*(tag("code", part) if i % 2 else part for i, part in enumerate(parts)))


def page(lang: str, title: str, *body: object) -> str:
    """A whole, self-contained UTF-8 document in ``lang``."""
    head = join(
        tag("meta", charset="utf-8"),
        tag("meta", http_equiv="Content-Security-Policy", content=CSP),
        tag("meta", name="viewport", content="width=device-width, initial-scale=1"),
        tag("meta", name="referrer", content="no-referrer"),
        tag("title", title),
        tag("style", raw(STYLE)),
    )
    return "<!DOCTYPE html>\n" + tag("html", tag("head", head), tag("body", *body), lang=lang) + "\n"


def table(header: Iterable[object], rows: Iterable[Iterable[object]], *,
          numeric: Iterable[int] = ()) -> Html:
    """A table; cells of the ``numeric`` column indexes align right."""
    right = set(numeric)
    head = tag("tr", *(tag("th", h, class_="num" if i in right else None) for i, h in enumerate(header)))
    body = [tag("tr", *(tag("td", cell, class_="num" if i in right else None) for i, cell in enumerate(row)))
            for row in rows]
    return tag("table", tag("thead", head), tag("tbody", *body))
