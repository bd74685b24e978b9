"""File names for briefings: readable, unique within a run, stable across runs."""

import hashlib

MAX_SLUG_LENGTH = 80


def make_slug(title: str, seed_name: str) -> str:
    """A slug from the title (transliterated to ASCII), or from the seed when nothing is left.

    >>> make_slug("Pakistan, US join hands against Pakistan’s Taliban", "003.txt")
    'pakistan-us-join-hands-against-pakistans-taliban'
    """
    from pelican.utils import slugify  # noqa: PLC0415  (Pelican takes 0.1 s to import)

    slug = slugify(title, regex_subs=SLUG_SUBSTITUTIONS)
    if len(slug) > MAX_SLUG_LENGTH:  # cut between words, not inside one
        slug = slug[: MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0]
    slug = slug.strip("-")
    return slug or f"briefing-{seed_hash(seed_name)}"


def seed_hash(seed_name: str) -> str:
    return hashlib.sha256(seed_name.encode("utf-8")).hexdigest()[:8]


def unique_slugs(wanted: dict[str, str]) -> dict[str, str]:
    """Map seed name → slug, giving a colliding slug the seed's hash so that no two are equal.

    Seeds are visited in name order, so the same folder always gives the same slugs.
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for seed_name in sorted(wanted):
        slug = wanted[seed_name]
        if slug in taken:
            slug = f"{slug}-{seed_hash(seed_name)}"
        taken.add(slug)
        result[seed_name] = slug
    return result


# Pelican's default slug rules; kept here so converter and site agree on tag slugs too.
SLUG_SUBSTITUTIONS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
