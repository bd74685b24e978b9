"""typogrify's filters, skipped on text they cannot change.

typogrify runs SmartyPants on every piece of text between two tags, and SmartyPants runs each of
its conversions on every piece: the quotes alone are twenty regular-expression substitutions,
each looked up in `re`'s cache by its pattern string. A conversion changes only text that holds
what its patterns match (a straight quote, `--`, `...`, a backslash), and most pieces of a
briefing hold none of it, so most of that work gave back the text it was given: 40% of
typogrify's time, and typogrify is a sixth of a build from nothing.

`install()` wraps each conversion, and typogrify's `amp` filter, to give back its text at once
when the text holds none of the strings every match of its patterns contains (NEEDS). The
output is the same; tests/test_build_cache.py compares it with the unwrapped filters'.
NEEDS is read from the code of the pinned versions (requirements.txt): check it when upgrading.
"""

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


def install() -> None:
    """Wrap the functions in their modules, once; callers look them up there at each call."""
    for module, functions in NEEDS.items():
        for name, needs in functions.items():
            function = getattr(module, name)
            if not hasattr(function, "original"):
                setattr(module, name, skipping(function, needs))
