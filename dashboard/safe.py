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
