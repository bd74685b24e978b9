"""Pages by period, as the chronology, a much-named entity and a tag on many briefings have them
(plugins/chronology, plugins/entities/years.py, plugins/linear_taxonomy/tag_years.py): what a
period is called, in words and in a URL, how a run of them links up, and what a table of
periods (partial/period_table.html) shows of each."""

from dataclasses import dataclass, field

UNDATED = "undated"  # the undated briefings' page, in place of a year in its URL
MONTHS = ("January February March April May June July August September October November "
          "December").split()


def period_label(year: int | None, month: int | None = None) -> str:
    """'2021', 'March 2021', or 'Undated' (year None)."""
    if year is None:
        return "Undated"
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def url_name(year: int | None) -> str | int:
    """A year as its pages' URLs have it: the undated briefings' page is 'undated'."""
    return UNDATED if year is None else year


def month_of(article) -> int | None:
    """The month a briefing was published in; None when its clipping gave only the year (its
    date then says January): such a briefing stays on its year's page when the year has a page
    per month."""
    return None if getattr(article, "date_precision", "day") == "year" else article.date.month


def period_urls(setting, prefix: str, year: int | None, month: int | None = None,
                **names) -> tuple[str, str]:
    """The URL and the file of a period's page, from the settings `setting(name)` gives:
    PREFIX_YEAR_URL and PREFIX_YEAR_SAVE_AS for a year (or the undated briefings), PREFIX_MONTH_…
    for a month; formatted with `year`, `month` and `names` (an entity's or a tag's slug)."""
    kind = "MONTH" if month else "YEAR"
    return tuple(setting(f"{prefix}_{kind}_{what}").format(year=url_name(year), month=month, **names)
                 for what in ("URL", "SAVE_AS"))


def link_neighbours(pages: list) -> None:
    """Each page of a run, newest first, links to the one before and the one after it, as
    (label, url); the pages have `label`, `url`, `newer` and `older`."""
    for newer, older in zip(pages, pages[1:]):
        newer.older, older.newer = (older.label, older.url), (newer.label, newer.url)


@dataclass(frozen=True, slots=True)
class PeriodCount:
    """What a table of periods shows of one: its label, its page and its counts. A page that
    lists its periods is given these rather than the periods' pages, because a page's key
    (plugins/parallel_render/reuse.py) walks all it is given."""

    label: str
    url: str
    briefings: int
    events: int


@dataclass(eq=False, slots=True, kw_only=True)
class Period:
    """A page of a run of periods (a chronology's, an entity's, a tag's): a year (None: the
    undated briefings', outside the run) or a month of a long year; where it goes, the page
    above it and its neighbours as (label, url), and, when it has month pages, its months as
    counts. What it lists is the subclass's."""

    year: int | None
    url: str
    save_as: str
    up: tuple[str, str]
    month: int | None = None
    months: list[PeriodCount] = field(default_factory=list)
    newer: tuple[str, str] | None = None
    older: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        return period_label(self.year, self.month)
