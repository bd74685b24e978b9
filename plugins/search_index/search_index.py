"""A compact full-text search index, loaded as a script so that search works from file:// too.

Browsers refuse `fetch()` of a sibling file from a `file://` page but run a `<script src>`, so the
index is a JavaScript file that assigns one object, built once at build time:

    window.BRIEFING_SEARCH = {
      "docs": [[url, title, date label, iso date, source], ...],  # position = document number
      "terms": "sorted vocabulary joined by spaces",
      "postings": ["entries of terms[i]", ...],
      "stop": "stopwords joined by spaces", "min": shortest word indexed,
    }

A posting entry is `g` or `g:w` in base 36: `g` is the gap from the previous document number,
`w` the word's weight in that document (omitted when 1). The index holds no text beyond titles,
so it stays a fraction of the text it covers. The paragraphs a snippet is cut from are in one
small script per briefing (`search/docs/N.js`), which the search page loads only for the
results it shows.

What each briefing gives the index (its paragraphs as JSON, their size, its weighted words) is
kept in plugins/build_cache when that plugin is loaded, keyed by everything it is computed from:
a rebuild recomputes only the briefings whose text, title, tags, entities or source changed.
"""

import functools
import hashlib
import json
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path

import regex
from markupsafe import Markup
from pelican import signals
from pelican.log import console

DATA_FILE = Path(__file__).resolve().parents[2] / "briefing" / "data" / "search.toml"
DEFAULTS = {"SEARCH_PATH": "search"}
WORD = re.compile(r"[^\W_]+")


def load_rules(path: Path = DATA_FILE) -> dict:
    with open(path, "rb") as handle:
        rules = tomllib.load(handle)
    rules["stopwords"] = frozenset(rules["stopwords"].split())
    return rules


NONSPACING_MARKS = regex.compile(r"\p{Mn}+")  # the same class as the JavaScript's /\p{Mn}/u


def fold(text: str) -> str:
    """Lower case without accents: 'Pešāwar' → 'pesawar'. The search page's JavaScript folds
    a query the same way (NFKD, nonspacing marks dropped, lower case)."""
    if text.isascii():  # nothing to decompose: most of the text
        return text.lower()
    return NONSPACING_MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()


def tokens(text: str, rules: dict) -> list[str]:
    """The indexable words of a text, folded, in order."""
    minimum, stop = rules["min_length"], rules["stopwords"]
    return [word for word in WORD.findall(fold(text))
            if word not in stop and (len(word) >= minimum or word.isdigit())]


PARAGRAPH = re.compile(r'<p(?: id="(?P<id>[^"]*)")?>(?P<inner>.*?)</p>', re.S)


def paragraphs(html: str) -> list[list[str]]:
    """[[anchor id, text], ...] for each paragraph of a briefing's body (the converter writes
    flat `<p id="p-N">` blocks, so a pattern finds them; striptags decodes the entities)."""
    result = []
    for match in PARAGRAPH.finditer(html or ""):
        text = " ".join(Markup(match.group("inner")).striptags().replace("\u00a0", " ").split())
        if text:
            result.append([match.group("id") or "", text])
    return result


def names(items) -> list[str]:
    """Names of tags or entities, whether objects with `.name` or plain strings."""
    return [str(getattr(item, "name", item)) for item in items or []]


def entities_by_url(entities) -> dict[str, list[str]]:
    """Briefing URL → names of the entities it mentions, from the context's `entities` (each
    with `.name` and `.briefings`), for briefings that do not list their own."""
    result: dict[str, list[str]] = {}
    for entity in entities or []:
        for article in getattr(entity, "briefings", []):
            result.setdefault(article.url, []).append(str(entity.name))
    return result


def document(article, mentioned: dict[str, list[str]] | None = None) -> dict:
    """What search knows of one briefing."""
    return {**heading(article, mentioned), "paragraphs": paragraphs(article.content)}


def heading(article, mentioned: dict[str, list[str]] | None = None) -> dict:
    """A briefing's document without its paragraphs."""
    entities = names(getattr(article, "entities", [])) or (mentioned or {}).get(article.url, [])
    return {
        "url": article.url,
        "title": getattr(article, "plain_title", "") or article.title,
        "date_label": getattr(article, "date_label", ""),
        "iso_date": getattr(article, "iso_date", ""),
        "source": getattr(article, "source", ""),
        "tags": names(getattr(article, "tags", [])),
        "entities": entities,
    }


def weighted_terms(doc: dict, rules: dict) -> Counter:
    """Each word of a document with its weight: where it appears and how often."""
    weights = rules["weights"]
    counts: Counter = Counter()
    for field, texts in (("title", [doc["title"]]), ("tag", doc["tags"]),
                         ("entity", doc["entities"]), ("source", [doc["source"]])):
        for word in {w for text in texts for w in tokens(text, rules)}:
            counts[word] += weights[field]
    body = Counter(w for _, text in doc["paragraphs"] for w in tokens(text, rules))
    for word, count in body.items():
        counts[word] += weights["body"] * min(count, weights["body_cap"])
    return counts


def indexed(doc: dict, rules: dict) -> tuple[str, int, dict[str, int]]:
    """What the index and the document's script take from a document: its paragraphs as JSON,
    its text size and its weighted words (the part of the work a rebuild can reuse)."""
    payload = json.dumps(doc["paragraphs"], ensure_ascii=False, separators=(",", ":"))
    return payload, text_size([doc]), dict(weighted_terms(doc, rules))


def row(doc: dict) -> list[str]:
    """A document's entry in the index's `docs`."""
    return [doc["url"], doc["title"], doc["date_label"], doc["iso_date"], doc["source"]]


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if not number:
            return text


SMALL_BASE36 = [base36(number).encode("ascii") for number in range(36 * 36)]  # most gaps, all weights


def base36_bytes(number: int) -> bytes:
    return SMALL_BASE36[number] if number < len(SMALL_BASE36) else base36(number).encode("ascii")


def build_index(docs, rules: dict) -> dict:
    """The index object for documents (any iterable, in the order their numbers give)."""
    return index_of(((row(doc), weighted_terms(doc, rules)) for doc in docs), rules)


def index_of(entries, rules: dict) -> dict:
    """The index object for (docs row, weighted words) pairs in document order. Each is let go
    once indexed, and each term's postings are kept encoded as they grow, a few bytes an entry:
    a tuple an entry took about 200 MB at 10,000 briefings."""
    postings: dict[str, Postings] = {}
    rows = []
    for number, (doc_row, weighted) in enumerate(entries):
        rows.append(doc_row)
        for word, weight in weighted.items():
            found = postings.get(word)
            if found is None:
                found = postings[word] = Postings()
            found.add(number, weight)
    terms = sorted(postings)
    return {
        "docs": rows,
        "terms": " ".join(terms),
        "postings": [str(postings[term]) for term in terms],
        "stop": " ".join(sorted(rules["stopwords"])),
        "min": rules["min_length"],
    }


class Postings:
    """One term's entries, encoded as they come (see the module's docstring)."""

    __slots__ = ("encoded", "last")

    def __init__(self):
        self.encoded, self.last = bytearray(), 0

    def add(self, number: int, weight: int) -> None:
        if self.encoded:
            self.encoded += b","
        self.encoded += base36_bytes(number - self.last)
        if weight > 1:
            self.encoded += b":"
            self.encoded += base36_bytes(weight)
        self.last = number

    def __str__(self) -> str:
        return self.encoded.decode("ascii")


def write_script(path: Path, name: str, value) -> int:
    """`window.NAME=<value as JSON>;` written to a file piece by piece (the index is megabytes);
    its size in bytes."""
    with open(path, "w", encoding="utf-8") as file:
        file.write(f"window.{name}=")
        for piece in json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).iterencode(value):
            file.write(piece)
        file.write(";\n")
    return path.stat().st_size


def doc_script(number: int, payload: str) -> str:
    """`search/docs/N.js` for paragraphs already in JSON."""
    return f"window.briefingSearchDoc&&window.briefingSearchDoc({number},{payload});\n"


def newest_first(articles) -> list:
    """Briefings newest first (undated last), ties by URL: document numbers never depend on
    the order files were read in."""
    return sorted(sorted(articles, key=lambda a: a.url), key=lambda a: a.date, reverse=True)


def text_size(docs: list[dict]) -> int:
    return sum(len(text.encode("utf-8")) for d in docs for _, text in d["paragraphs"]) + \
        sum(len(d["title"].encode("utf-8")) for d in docs)


class SearchIndexGenerator:
    """Writes `search/index.js` and `search/docs/N.js` once every briefing has been read."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context, self.settings, self.output_path = context, settings, Path(output_path)
        self.cache = None

    def generate_output(self, writer) -> None:
        """Writes the index alongside the pages when the writer can (plugins/parallel_render)."""
        self.cache = build_cache_sidecar()  # before the pages' processes fork
        defer = getattr(writer, "defer", None)
        if defer is None:
            self.write_index()
        else:
            defer(self.write_index)

    def write_index(self) -> None:
        folder = self.output_path / self.settings.get("SEARCH_PATH", DEFAULTS["SEARCH_PATH"])
        rules = load_rules()
        mentioned = entities_by_url(self.context.get("entities"))
        (folder / "docs").mkdir(parents=True, exist_ok=True)
        for stale in (folder / "docs").glob("*.js"):  # left by an earlier build of more briefings
            stale.unlink()
        articles = newest_first(self.context.get("articles", []))
        sizes = []
        entries = written_documents(articles, mentioned, rules, self.cache, folder / "docs", sizes)
        size = write_script(folder / "index.js", "BRIEFING_SEARCH", index_of(entries, rules))
        if self.cache is not None:
            self.cache.finish()
        text = sum(sizes)
        console.print(f"Search index: {len(articles)} {'briefing' if len(articles) == 1 else 'briefings'}, "
                      f"{size / 1024:.1f} KB "
                      f"({size / max(text, 1):.0%} of their text, "
                      f"{text / 1024:.1f} KB)")


def written_documents(articles, mentioned, rules: dict, cache, folder: Path, sizes: list[int]):
    """Each briefing's docs row and weighted words, after writing its `docs/N.js` and adding
    its text size to `sizes`: one briefing at a time, never the paragraphs of all at once."""
    for number, article in enumerate(articles):
        head = heading(article, mentioned)
        payload, size, weighted = indexed_briefing(head, article.content, rules, cache)
        (folder / f"{number}.js").write_text(doc_script(number, payload), "utf-8")
        sizes.append(size)
        yield row(head), weighted


def indexed_briefing(head: dict, content: str, rules: dict, cache) -> tuple[str, int, dict]:
    """indexed() for one briefing, from the build cache when an earlier build computed it."""
    def compute():
        return indexed({**head, "paragraphs": paragraphs(content)}, rules)

    if cache is None:
        return compute()
    return cache.remember(cache.key("search document", code_version(), head, content), compute)


@functools.cache
def code_version() -> str:
    """This module's code and the rules file: cached documents are computed by both."""
    return hashlib.sha256(Path(__file__).read_bytes() + DATA_FILE.read_bytes()).hexdigest()


def build_cache_sidecar():
    """plugins/build_cache's get-or-compute for a job that may run in a forked process, or
    None when that plugin is not loaded. Each plugin is its own top-level package (loaded from
    PLUGIN_PATHS), so it is looked up among the loaded modules rather than imported."""
    store = getattr(sys.modules.get("build_cache.build_cache"), "STORE", None)
    return None if store is None else store.sidecar()


def get_generators(pelican_object):
    return SearchIndexGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
