"""Helpers shared by test modules (not fixtures: plain functions)."""

TRIES = 100_000  # placements `uncovered` tries before it gives up


def uncovered(seed_text: str, pieces: list[str]) -> str:
    """The seed's non-space characters that no piece accounts for (pieces claim distinct spans).

    Conservation: every line of a seed must end up in the body, a metadata field or the removed
    list; this returns what is in none of them, so a test can assert it is empty. A piece may
    occur more than once in the seed (a repeated line, or one inside a longer piece): the pieces
    are placed so that no two overlap, trying each piece's places in turn, longest piece first.
    """
    seed = "".join(seed_text.split())
    needles = sorted(("".join(piece.split()) for piece in pieces), key=len, reverse=True)
    covered = [False] * len(seed)
    tries = [0]  # placements tried: the search gives up at TRIES

    def place(index: int) -> bool:
        if index == len(needles):
            return True
        needle = needles[index]
        start = seed.find(needle)
        while start >= 0 and tries[0] < TRIES:
            tries[0] += 1
            if not any(covered[start:start + len(needle)]):
                covered[start:start + len(needle)] = [True] * len(needle)
                if place(index + 1):
                    return True
                covered[start:start + len(needle)] = [False] * len(needle)
            start = seed.find(needle, start + 1)
        return False

    if not place(0):
        placed = [needle for needle in needles if needle in seed]
        missing = [needle for needle in needles if needle not in seed]
        if missing:
            raise AssertionError(f"not in the seed: {missing!r}")
        if tries[0] >= TRIES:
            raise AssertionError(f"gave up placing the pieces after {TRIES:,} tries: {placed!r}")
        raise AssertionError(f"the pieces cannot all be placed without claiming a span twice: {placed!r}")
    return "".join(char for char, done in zip(seed, covered) if not done)


def is_utf8(data: bytes) -> bool:
    """Whether bytes are valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
