"""Text from files, shown as text.

Report files, their names and the manifest are written by whoever sends a report in. Streamlit
renders markdown (links, images — fetched from anywhere —, colours, LaTeX) and, where a page
allows it, HTML. So every string that comes from a file goes through `md` before it is put into
markdown: the characters that start markup are backslash-escaped (CommonMark shows an escaped
character as itself) and line breaks become spaces, so the text reads the same and does nothing.
Ordinary names and sentences pass unchanged.
"""

from __future__ import annotations

import re

# HTML (<>), links/images/directives ([]), code (`), emphasis (* and _ at a word edge), LaTeX ($),
# strike (~), tables (|), directive attributes ({}), entities (&name;), the escape itself (\),
# and what GFM turns into links by itself (scheme://, www., e-mail addresses)
_MARKUP = re.compile(r"([\\`*\[\]<>$~|{}@]|(?<!\w)_|_(?!\w)|&(?=#?\w+;)|:(?=//)|(?<=\bwww)\.)", re.IGNORECASE)
_LEADING = re.compile(r"^(\s*)(?:([#+\-=])|(\d+)([.)]))")  # a heading or list marker at the very start
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def md(text) -> str:
    """`text` as literal markdown text (also safe inside markdown that allows HTML)."""
    out = _MARKUP.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
    return _LEADING.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), out)


# ---- plotly -------------------------------------------------------------------------------------
# Plotly renders a few HTML tags in any text it draws (<a href> makes a link, <b>, <br>, …) and
# decodes entities; escaping <, > and & shows a name as itself in the chart, its hover and its export.
_DATA_FIELDS = ("x", "y", "text", "hovertext", "name", "customdata", "labels")


def plain(text: str) -> str:
    """`text` as literal plotly text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_values(value):
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [_plain_values(v) for v in value]
    if hasattr(value, "tolist") and getattr(value, "dtype", None) is not None and value.dtype == object:
        return [_plain_values(v) for v in value.tolist()]
    return value


def figure_as_text(fig):
    """The figure with every data value (categories, names, hover data) and annotation made literal
    text. Templates (hovertemplate, our own markup) are left alone: they never hold file content."""
    for trace in fig.data:
        for field in _DATA_FIELDS:
            if field in trace and trace[field] is not None:
                trace[field] = _plain_values(trace[field])
    for ann in fig.layout.annotations or ():
        if isinstance(ann.text, str):
            ann.text = plain(ann.text)
    for axis in [k for k in fig.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        ax = fig.layout[axis]
        for field in ("categoryarray", "ticktext"):
            if ax[field] is not None:
                ax[field] = _plain_values(list(ax[field]))
    return fig
