#!/usr/bin/env python3
"""Benchmark the conversion and the build against plain Pelican and Hugo.

For each size N: generates N synthetic dirty seeds, then measures (median of --runs runs)
conversion alone, the full pipeline from nothing, a rebuild after editing one seed (a plain
sentence, then a dated event), a rebuild with nothing changed, the same edit in `make
devserver` (its own report, and as an editor waits from the save), theme edits, `make
publish`, plain Pelican (theme simple, no plugins, no typogrify) on the same Markdown, and Hugo
on the same content (see `steps` below). Prints a Markdown table with ratios; writes JSON.

With --against REV, it measures this checkout's code against git revision REV's instead: both
on copies of the same corpus, taking turns at every step, and prints this / REV for each step,
by the medians and turn by turn (the median of the turns' ratios, their range, and in how
many turns this checkout was faster). On a shared machine that is the comparison of two
versions that holds; two separate runs of the benchmark differ by more than most changes do.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.benchmark import (  # noqa: E402
    STEPS, format_comparison, format_table, run_benchmark, run_comparison, save, save_comparison)

EXAMPLE = """\
examples:
  python scripts/bench.py --sizes 100,1000 --runs 3
  python scripts/bench.py --sizes 10000 --runs 1 --steps full,edit,nochange,pelican,hugo
  make bench BENCHOPTS="--sizes 1000"
  python scripts/bench.py --sizes 1000 --runs 5 --steps edit,devserver --against HEAD~3

steps: convert (converter alone), full (convert + build from nothing), edit (rebuild after one
seed changed, each step in a new Python: `make html BUILD_SERVER=off`), event (rebuild after a
dated event was added to that seed), nochange (rebuild with nothing changed), devserver (the
same edit rebuilt by `make devserver`'s warm process, as it reports it), saved (the same in
`make devserver` with its default options, from the seed's save to the new site: what an
editor waits), preview (the same, to the edited page), html and html-nochange (`make html`
through the site's build server, started by the `make html` before, after the same edit or
with nothing changed), style and template (a rebuild after editing the
theme's stylesheet, or the briefing page's template, in a copy of the theme made for the
benchmark), publish (`make publish`'s build, with feeds and sitemap, from the converted content
into an empty folder), republish (`make publish` again after one more seed edit, which `make
html` built first), redate (`make html` through the build server after a seed's date is
corrected by a day: a structural edit, which it builds), reword (the same after a misspelling in a
seed's first paragraph, which rewords its summary and an event's sentence), leftover (the
same after deleting from a seed a line the converter removes, a newsletter prompt say), pelican
(plain Pelican), hugo (Hugo). With --against, pelican and hugo are
left out: they do not change with the code. The "rendered" column counts the pages a rebuild
rendered rather than took from the last build; in brackets, how many of them came out with the
bytes they had (work done for nothing; not counted in the devserver, which writes in place)."""


def sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be numbers separated by commas: {text!r}")
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be 1 or more: {text!r}")
    return values


def steps(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in chosen if name not in STEPS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown step(s) {unknown}; choose from {', '.join(STEPS)}")
    return chosen


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench.py", description=__doc__.split("\n\n")[0], epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=sizes, default=[100, 1000, 10000],
                        help="corpus sizes, comma-separated (default: 100,1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the median counts (default: 3)")
    parser.add_argument("--steps", type=steps, default=STEPS,
                        help=f"steps to measure (default: all: {','.join(STEPS)})")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"),
                        help="where to write the results as JSON (default: bench-results.json)")
    parser.add_argument("--workdir", type=Path,
                        help="folder for corpora and builds (default: a temporary folder, removed)")
    parser.add_argument("--against", metavar="REV",
                        help="measure this checkout against git revision REV (a commit, tag or branch)")
    parser.add_argument("--settings", type=Path, default=Path(__file__).resolve().parent.parent / "pelicanconf.py",
                        help="Pelican settings of the site build (default: pelicanconf.py)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        workdir = args.workdir or Path(temporary)
        try:
            if args.against:
                comparisons = run_comparison(args.sizes, workdir, args.runs, args.steps,
                                             args.settings.resolve(), args.against, log)
            else:
                results = run_benchmark(args.sizes, workdir, args.runs, args.steps, args.settings.resolve(), log)
        except ValueError as error:
            print(f"bench.py: {error}", file=sys.stderr)
            return 2
        except RuntimeError as error:
            print(f"bench.py: a step failed: {error}", file=sys.stderr)
            return 1
    if args.against:
        save_comparison(comparisons, args.runs, args.json)
        print(format_comparison(comparisons))
    else:
        save(results, args.runs, args.json)
        print(format_table(results))
    print(f"\nresults written to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
