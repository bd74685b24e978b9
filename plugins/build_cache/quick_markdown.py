"""A briefing's paragraphs passed through as Python-Markdown passes them, without its parse.

The converter writes a briefing's text as raw HTML paragraphs, one a line with a blank line
between (`<p id="p-2">…</p>`, the seed's text escaped), after the metadata block.
Python-Markdown finds each paragraph with an HTML parser, stores it, parses the blocks and
inline text left around the stored pieces, and puts each piece back as it was: 0.55 ms of the
0.65 ms it took for a briefing (the metadata block took the rest), a tenth of a build from
nothing's reading.

`convert(md, text)` gives what `md.convert(text)` gives. When the text is a metadata block then
such paragraphs only (PARAGRAPHS), and `md` has only the processors of Pelican's default
Markdown settings (`passes_through`), the block alone goes through Markdown, which sets
`md.Meta` and must give no HTML, and the paragraphs are given as they are written, joined as
Markdown joins them; any other text goes through Markdown whole.

tests/test_quick_markdown.py compares it with Python-Markdown's own conversion (pinned in
requirements.txt): check it again when upgrading.
"""

import copy
import re
from functools import cache

# Text that Markdown's HTML parser keeps as it is written inside a raw paragraph: no tag, no
# control character (line ends, tabs and the characters Markdown uses as markers), `&` only
# in a reference that ends with `;` (the parser writes one without it back with it).
PARAGRAPH_TEXT = r"(?:[^<>&\x00-\x1f\x7f]|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)*"
PARAGRAPH = rf'<p id="[A-Za-z0-9_-]+">{PARAGRAPH_TEXT}</p>'
# After the metadata block's blank line: the paragraphs, then at most one line end.
PARAGRAPHS = re.compile(rf"\n\n({PARAGRAPH}(?:\n\n{PARAGRAPH})*)\n?")


def convert(md, text: str) -> str:
    """md.convert(text), sparing Markdown's parse of a briefing's paragraphs."""
    head, blank, _ = text.partition("\n\n")
    paragraphs = PARAGRAPHS.fullmatch(text, len(head)) if blank and head.strip() else None
    if paragraphs is None or not passes_through(md):
        return md.convert(text)
    if md.convert(head):  # the block held more than metadata
        return md.reset().convert(text)
    return paragraphs.group(1)


def passes_through(md) -> bool:
    """Whether `md` has no processor that Pelican's default Markdown settings do not give: an
    extension a site adds (a table of contents, say) may change raw paragraphs."""
    return processors(md) <= default_processors()


@cache
def default_processors() -> frozenset:
    from markdown import Markdown  # noqa: PLC0415
    from pelican.readers import MarkdownReader  # noqa: PLC0415
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415

    settings = MarkdownReader(copy.deepcopy(DEFAULT_CONFIG)).settings["MARKDOWN"]  # adds the extensions
    return processors(Markdown(**settings))


def processors(md) -> frozenset:
    """The class of each processor of each of `md`'s steps."""
    steps = {"pre": md.preprocessors, "block": md.parser.blockprocessors, "inline": md.inlinePatterns,
             "tree": md.treeprocessors, "post": md.postprocessors}
    return frozenset((step, type(processor)) for step, registry in steps.items() for processor in registry)
