"""Helpers shared by test modules (not fixtures: plain functions)."""


def uncovered(seed_text: str, pieces: list[str]) -> str:
    """The seed's non-space characters that no piece accounts for (pieces claim distinct spans).

    Conservation: every line of a seed must end up in the body, a metadata field or the removed
    list; this returns what is in none of them, so a test can assert it is empty.
    """
    seed = "".join(seed_text.split())
    covered = [False] * len(seed)
    for piece in sorted(pieces, key=len, reverse=True):
        needle = "".join(piece.split())
        start = seed.find(needle)
        while start >= 0 and any(covered[start:start + len(needle)]):
            start = seed.find(needle, start + 1)
        assert start >= 0, f"not in the seed, or claimed twice: {piece!r}"
        covered[start:start + len(needle)] = [True] * len(needle)
    return "".join(char for char, done in zip(seed, covered) if not done)


def is_utf8(data: bytes) -> bool:
    """Whether bytes are valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
