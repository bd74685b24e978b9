"""typogrify's filters, skipped on text they cannot change, and searched only where they can.

typogrify runs SmartyPants on every piece of text between two tags, and SmartyPants runs each of
its conversions on every piece: the quotes alone are twenty regular-expression substitutions,
each looked up in `re`'s cache by its pattern string. A conversion changes only text that holds
what its patterns match (a straight quote, `--`, `...`, a backslash), and most pieces of a
briefing hold none of it, so most of that work gave back the text it was given: 40% of
typogrify's time, and typogrify is a sixth of a build from nothing.

`install()` wraps each conversion, and typogrify's `amp` filter, to give back its text at once
when the text holds none of the strings every match of its patterns contains (NEEDS).

typogrify's `widont` and `caps` try their expressions at every place of the text, though a
match can only be at a block's end (`widont`) or around two capitals (`caps`): they were 55% of
what was left of typogrify's time. `install()` puts in their place `widont` and `caps` below,
which try the same expressions only at those places.

The output is the same; tests/test_quick_typography.py compares it with the library's filters.
NEEDS and the expressions are read from the code of the pinned versions (requirements.txt): the
tests check them against it, and they must be checked again when upgrading.
"""

import re

import smartypants
from typogrify import filters

# module → function → strings, one of which every match of the function's patterns contains
NEEDS = {
    smartypants: {
        "process_escapes": ("\\",),
        "convert_dashes": ("--",),
        "convert_dashes_oldschool": ("--",),
        "convert_dashes_oldschool_inverted": ("--",),
        "convert_ellipses": ("...", ". . ."),
        "convert_backticks": ("``", "''"),
        "convert_single_backticks": ("`", "'"),
        "convert_quotes": ("'", '"'),
        "convert_entities": ("&#8",),
    },
    filters: {
        "amp": ("&",),
    },
}


def skipping(function, needs: tuple[str, ...]):
    """`function`, giving back its text unchanged when the text holds none of `needs`."""
    def quick(text, *args):
        if any(needed in text for needed in needs):
            return function(text, *args)
        return text

    quick.original = function
    quick.__name__ = function.__name__
    return quick


# ---------------------------------------------------------------------------------- widont

# typogrify.filters.widont's expression, as it is written there
WIDONT = re.compile(r"""((?:</?(?:a|em|span|strong|i|b)[^>]*>)|[^<>\s]) # must be proceeded by an approved inline opening or closing tag or a nontag/nonspace
                                   \s+                                             # the space to replace
                                   ([^<>\s]+                                       # must be flollowed by non-tag non-space characters
                                   \s*                                             # optional white space!
                                   (</(a|em|span|strong|i|b)>\s*)*                 # optional closing inline tags with optional white space after each
                                   ((</(p|h[1-6]|li|dt|dd)>)|$))                   # end with a closing p, h1-6, li or the end of the string
                                   """, re.VERBOSE)
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dt|dd)>")
INLINE_ENDS = ("</a>", "</em>", "</span>", "</strong>", "</i>", "</b>")
# a "<" inside what WIDONT would take for a tag: a tag could then run past a block's end
TAG_IN_TAG = re.compile(r"<[^<>]*<")


def widont(text):
    """typogrify's widont: the space before the last word of each block made `&nbsp;`.

    Every match of WIDONT ends a block (its closing tag, or the text's end), and starts at the
    tag or character before the space before that block's last word. So for each block's end,
    the place to try is found by walking back from it, and WIDONT is tried from there alone.
    """
    if TAG_IN_TAG.search(text):
        return library_function(filters, "widont")(text)
    ends = [(end.start(), end.end()) for end in BLOCK_END.finditer(text)]
    ends.append((len(text), len(text)))
    pieces, copied = [], 0
    for end, after in ends:
        start = last_word_start(text, end)
        match = None if start is None else WIDONT.search(text, max(start, copied), after)
        if match:
            # what typogrify's replacement, r"\1&nbsp;\2", gives (Match.expand parses it again
            # at every call in Python 3.11)
            pieces += [text[copied:match.start()], match.group(1), "&nbsp;", match.group(2)]
            copied = match.end()
    return "".join(pieces) + text[copied:] if pieces else text


def last_word_start(text: str, end: int) -> int | None:
    """Where a WIDONT match ending at `end` could start at the earliest (None: it cannot)."""
    at = end
    while at:  # the block's closing inline tags and white space
        if text[at - 1].isspace():
            at -= 1
        elif closing := next((tag for tag in INLINE_ENDS if text.endswith(tag, 0, at)), None):
            at -= len(closing)
        else:
            break
    word_end = at
    while at and text[at - 1] not in "<>" and not text[at - 1].isspace():
        at -= 1
    if at == word_end or not at or not text[at - 1].isspace():
        return None
    while at and text[at - 1].isspace():
        at -= 1
    if not at or text[at - 1] == "<":
        return None
    if text[at - 1] == ">":  # an inline tag, which starts after the ">" before it
        return text.rfind(">", 0, at - 1) + 1
    return at - 1


# ------------------------------------------------------------------------------------ caps

# typogrify.filters.caps's expressions, as they are written there
CAPS = re.compile(r"""(
                            (\b[A-Z\d]*        # Group 2: Any amount of caps and digits
                            [A-Z]\d*[A-Z]      # A cap string much at least include two caps (but they can have digits between them)
                            [A-Z\d']*\b)       # Any amount of caps and digits or dumb apostsrophes
                            | (\b[A-Z]+\.\s?   # OR: Group 3: Some caps, followed by a '.' and an optional space
                            (?:[A-Z]+\.\s?)+)  # Followed by the same thing at least once more
                            (?:\s|\b|$))
                            """, re.VERBOSE)
SKIPPED_TAG = re.compile("<(/)?(?:kbd|script)[^>]*>", re.IGNORECASE)
# What every match of CAPS holds: two capitals with digits between them, or with a dot between
# them. A match starts at most a run of capitals and digits before it.
TWO_CAPITALS = re.compile(r"[A-Z]\d*[A-Z]|[A-Z]\.\s?[A-Z]")
CAPITAL_OR_DIGIT = re.compile(r"[A-Z\d]")


def caps(text):
    """typogrify's caps: runs of capitals wrapped in `<span class="caps">`, outside tags and
    outside `<kbd>` and `<script>` (as typogrify walks SmartyPants' tokens)."""
    if not TWO_CAPITALS.search(text):
        return text  # the tokens, joined, are the text
    result = []
    in_skipped_tag = False
    for kind, token in smartypants._tokenize(text):
        if kind == "tag":
            result.append(token)
            opening = SKIPPED_TAG.match(token)
            in_skipped_tag = bool(opening and opening.group(1) is None)
        else:
            result.append(token if in_skipped_tag else wrap_capitals(token))
    return "".join(result)


def wrap_capitals(text: str) -> str:
    """CAPS.sub(caps_span, text), with CAPS tried only where a match could start."""
    pieces, copied, searched = [], 0, 0
    while two := TWO_CAPITALS.search(text, searched):
        start = two.start()
        while start > searched and CAPITAL_OR_DIGIT.match(text, start - 1):
            start -= 1
        match = next(filter(None, (CAPS.match(text, at) for at in range(start, two.start() + 1))),
                     None)
        if match:
            pieces += [text[copied:match.start()], caps_span(match)]
            copied = searched = match.end()
        else:
            searched = two.start() + 1
    return "".join(pieces) + text[copied:] if pieces else text


def caps_span(match) -> str:
    """typogrify's replacement for a CAPS match (its `_cap_wrapper`): dotted capitals keep the
    space after them outside the span."""
    if match.group(2):
        return f'<span class="caps">{match.group(2)}</span>'
    capitals = match.group(3)
    if capitals[-1] == " ":
        return f'<span class="caps">{capitals[:-1]}</span> '
    return f'<span class="caps">{capitals}</span>'


def library_function(module, name: str):
    function = getattr(module, name)
    return getattr(function, "original", function)


# Library function → the function that takes its place.
REPLACED = {filters: {"widont": widont, "caps": caps}}


def install() -> None:
    """Wrap or replace the functions in their modules, once; callers look them up there at each
    call."""
    for module, functions in NEEDS.items():
        for name, needs in functions.items():
            function = getattr(module, name)
            if not hasattr(function, "original"):
                setattr(module, name, skipping(function, needs))
    for module, functions in REPLACED.items():
        for name, replacement in functions.items():
            function = getattr(module, name)
            if not hasattr(function, "original"):
                replacement.original = function
                setattr(module, name, replacement)
