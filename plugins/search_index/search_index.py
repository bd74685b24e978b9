"""A compact full-text search index, loaded as a script so that search works from file:// too.

Browsers refuse `fetch()` of a sibling file from a `file://` page but run a `<script src>`, so the
index is JavaScript files, built once at build time. `search/index.js` assigns one object:

    window.BRIEFING_SEARCH = {
      "shards": "the shards' keys, sorted, joined by spaces",
      "count": how many briefings are indexed (numbered 0 to count - 1),
      "stop": "stopwords joined by spaces", "min": shortest word indexed,
    }

and the postings are in shards: the words that start with the same two characters (the shard's
key), in `search/terms/<key>.js` (see `shard_file`), each a call

    window.briefingSearchShard({"key": "pa", "terms": "sorted words joined by spaces",
                                "postings": ["entries of terms[i]", ...]})

The search page loads the shards of the words a reader types, not the whole vocabulary: at
10,000 briefings the postings are 5.9 MB, a query's shards a few percent of them.

A posting entry is `g` or `g:w` in base 36: `g` is the gap from the previous document number,
`w` the word's weight in that document (omitted when 1). What a result shows (its link, title,
date and source, and the paragraphs a snippet is cut from) is in one small script per briefing
(`search/docs/N.js`, see `doc_script`), which the search page loads only for the results it
shows: so a search loads no briefing's row it does not show (at 10,000 briefings the rows were
1.8 MB), and the index holds no text beyond the words.

What each briefing gives the index (its paragraphs as JSON, their size, its weighted words) is
kept in plugins/build_cache when that plugin is loaded, keyed by everything it is computed from:
a rebuild recomputes only the briefings whose text, title, tags, entities or source changed.
When plugins/parallel_render offers the last build's output (scripts/build.py does), a rebuild
also brings over each `docs/N.js` made from the same entry under the same number, and, when
there are as many briefings as then and few of them changed, updates the last index instead
of building it again (see SearchFiles): after one edit, the job costs what that edit changed.
After an edit to a briefing's text alone, `make devserver`'s keeper (plugins/preview) updates
the site's search files the same way, without a build (`SearchIndexGenerator.text_edited`).
With plugins/parallel_render, the files are written in a process of their own, started as soon
as what they show of the briefings is made (`start_early`), while the build makes its other
structures; else among the pages, or after them.
"""

import functools
import hashlib
import json
import re
import sys
import tomllib
import unicodedata
import weakref
from bisect import bisect_left
from collections import Counter
from itertools import accumulate, repeat
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
    urls: dict[int, str] = {}  # each briefing's, found once (Pelican computes it on every call)
    for entity in entities or []:
        for article in getattr(entity, "briefings", []):
            url = urls.get(id(article))
            if url is None:
                url = urls[id(article)] = article.url
            result.setdefault(url, []).append(str(entity.name))
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
    """What a result shows of a document, in its `docs/N.js`: [url, title, date label, ISO
    date, source]."""
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
    return index_of((weighted_terms(doc, rules) for doc in docs), rules)


def index_of(entries, rules: dict) -> dict:
    """The index object for each document's weighted words, in document order. Each is let go
    once indexed, and each term's postings are kept encoded as they grow, a few bytes an entry:
    a tuple an entry took about 200 MB at 10,000 briefings."""
    postings: dict[str, Postings] = {}
    count = 0
    for number, weighted in enumerate(entries):
        count = number + 1
        for word, weight in weighted.items():
            found = postings.get(word)
            if found is None:
                found = postings[word] = Postings()
            found.add(number, weight)
    return index_object(count, {word: str(found) for word, found in postings.items()}, rules)


def index_object(count: int, postings: dict[str, str], rules: dict) -> dict:
    terms = sorted(postings)
    return {
        "count": count,
        "terms": " ".join(terms),
        "postings": [postings[term] for term in terms],
        "stop": " ".join(sorted(rules["stopwords"])),
        "min": rules["min_length"],
    }


def updated_index(index: dict, changes: dict[int, tuple[dict, dict]], count: int, rules: dict) -> dict:
    """What index_of gives after the documents numbered in `changes` went from their old
    weighted words to their new ones (`count`: how many documents there are now). Only
    the postings of the words whose weight in one of those documents changed (added and
    dropped words among them) change, and only around those documents (see spliced)."""
    postings = dict(zip(index["terms"].split(" "), index["postings"]))
    touched = touched_words(changes)
    numbers = sorted(changes)
    for word in touched:
        entries = spliced(postings.pop(word, ""), numbers, {n: new[word] for n in numbers
                                                            if word in (new := changes[n][1])})
        if entries:
            postings[word] = entries
    return index_object(count, postings, rules)


WEIGHTS = re.compile(r":[0-9a-z]+")


def spliced(encoded: str, numbers: list[int], weights: dict[int, int]) -> str:
    """A term's postings without its entries for the documents `numbers` (sorted), with an
    entry for each of them in `weights` (number → weight): the text that decoding every entry
    and encoding them again gives (see Postings). The entries between those documents are
    copied as they are, and only the first one after each gets a new gap. A date corrected
    renumbers the documents between its old and new place, which touches the postings of
    every word they hold, the commonest among them: at 10,000 briefings, decoding those took
    a second and a half."""
    parts = encoded.split(",") if encoded else []
    starts = list(accumulate(map(int, WEIGHTS.sub("", encoded).split(","), repeat(36)))) if encoded else []
    result: list[str] = []
    last = position = 0  # the number of the last entry written; the next entry of `parts` to copy

    def copy(end: int) -> None:
        nonlocal last
        if end > position:
            first = parts[position]
            weight = first.find(":")
            result.append(base36(starts[position] - last) + (first[weight:] if weight >= 0 else ""))
            result.extend(parts[position + 1:end])
            last = starts[end - 1]

    for number in numbers:
        at = bisect_left(starts, number, position)
        copy(at)
        position = at + 1 if at < len(starts) and starts[at] == number else at
        weight = weights.get(number)
        if weight:
            result.append(base36(number - last) + (":" + base36(weight) if weight > 1 else ""))
            last = number
    copy(len(parts))
    return ",".join(result)


def touched_words(changes: dict[int, tuple[dict, dict]]) -> set[str]:
    """The words whose weight in one of the changed documents changed (added and dropped ones
    among them): only their postings differ."""
    return {word for old, new in changes.values() for word in old.keys() | new.keys()
            if old.get(word) != new.get(word)}


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


SHARD_KEY = 2  # a shard holds the words that start with the same this many characters


def shard_key(term: str) -> str:
    return term[:SHARD_KEY]


SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
SHARD_CALL = ("window.briefingSearchShard&&window.briefingSearchShard(", ");\n")  # around its JSON


def shard_file(key: str) -> str:
    """`terms/<name>.js` for a shard's key: a character other than a-z and 0-9 is written as
    `_<hex code point>_` (search.js names the file the same way)."""
    return "terms/" + "".join(c if c in SAFE else f"_{ord(c):x}_" for c in key) + ".js"


def write_index(folder: Path, index: dict) -> int:
    """search/index.js and search/terms/*.js for an index object (index_object's); their
    size in bytes. The shards of an earlier build are removed first."""
    (folder / "terms").mkdir(parents=True, exist_ok=True)
    for stale in (folder / "terms").glob("*.js"):
        stale.unlink()
    return sum((folder / name).write_bytes(script) for name, script in index_scripts(index))


def index_scripts(index: dict):
    """The files of an index object, (name in the search folder, bytes), one at a time (the
    postings are megabytes): each shard's `terms/<key>.js`, then `index.js`."""
    keys = []
    for name, key, script in shard_scripts(index):
        keys.append(key)
        yield name, script
    yield "index.js", head_script(sorted(keys), index)


def shard_scripts(index: dict):
    """(name, key, bytes) of each shard of an index object: the words that start alike."""
    shards: dict[str, tuple[list[str], list[str]]] = {}
    for term, postings in zip(index["terms"].split(" ") if index["terms"] else (), index["postings"]):
        terms, entries = shards.setdefault(shard_key(term), ([], []))
        terms.append(term)
        entries.append(postings)
    for key, (terms, entries) in shards.items():
        shard = {"key": key, "terms": " ".join(terms), "postings": entries}
        yield shard_file(key), key, (SHARD_CALL[0] + to_json(shard) + SHARD_CALL[1]).encode("utf-8")


def head_script(keys: list[str], index: dict) -> bytes:
    """`index.js`: the shards' keys, then what the search page needs of an index object."""
    head = {"shards": " ".join(keys), "count": index["count"], "stop": index["stop"], "min": index["min"]}
    return f"window.BRIEFING_SEARCH={to_json(head)};\n".encode("utf-8")


to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def doc_script(number: int, doc_row: list[str], payload: str) -> str:
    """`search/docs/N.js`: what the search page shows of document N, its row (see `row`) and
    its paragraphs (already in JSON)."""
    return f"window.briefingSearchDoc&&window.briefingSearchDoc({number},{to_json(doc_row)},{payload});\n"


def document_order(articles) -> list:
    """Briefings oldest first (the undated, whose date is far in the past, before them), ties
    by URL, last first: the search page ranks ties newest first, by the higher number. A new
    clipping, the newest, takes the next number and leaves every other as it was, so the last
    index is updated rather than built again (see SearchFiles). Document numbers never depend
    on the order files were read in."""
    return sorted(sorted(articles, key=lambda a: a.url, reverse=True), key=lambda a: a.date)


def text_size(docs: list[dict]) -> int:
    return sum(len(text.encode("utf-8")) for d in docs for _, text in d["paragraphs"]) + \
        sum(len(d["title"].encode("utf-8")) for d in docs)


GENERATORS: dict[int, "SearchIndexGenerator"] = {}  # this build's, by its context's id: see start_early


class SearchIndexGenerator:
    """Writes `search/index.js` and `search/docs/N.js` once every briefing has been read."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context, self.settings, self.output_path = context, settings, Path(output_path)
        self.cache, self.started = None, False
        GENERATORS[id(context)] = self

    def start_early(self) -> None:
        """Start writing the files now, beside the build's process (plugins/parallel_render's
        `start_early`), rather than among the pages: see `start_early` below."""
        start = getattr(sys.modules.get("parallel_render.parallel_render"), "start_early", None)
        if start is not None:
            self.cache = build_cache_sidecar()  # before the fork
            self.started = start(self.write_index, self.settings, str(self.output_path))

    def generate_output(self, writer) -> None:
        """Writes the index alongside the pages when the writer can (plugins/parallel_render),
        unless it is being written already (`start_early`)."""
        if self.started:
            return
        if self.cache is None:
            self.cache = build_cache_sidecar()  # before the pages' processes fork
        defer = getattr(writer, "defer", None)
        if defer is None:
            self.write_index()
        else:
            defer(self.write_index)

    def write_index(self, reuse=None) -> None:
        """The search files; `reuse` (plugins/parallel_render's, or None) offers the last
        build's."""
        folder = self.settings.get("SEARCH_PATH", DEFAULTS["SEARCH_PATH"])
        articles = document_order(self.context.get("articles", []))
        job = SearchFiles(self.output_path, folder, load_rules(), self.cache, reuse)
        size, text = job.write(articles, entities_by_url(self.context.get("entities")))
        if self.cache is not None:
            self.cache.finish()
        console.print(f"Search index: {len(articles)} {'briefing' if len(articles) == 1 else 'briefings'}, "
                      f"{size / 1024:.1f} KB "
                      f"({size / max(text, 1):.0%} of their text, "
                      f"{text / 1024:.1f} KB)")
        if job.whole_because:
            console.print(f"Search index: built again whole, not updated: {job.whole_because}")

    def text_edited(self, output_path: str, edits: dict) -> dict[str, bytes | None]:
        """The search files in `output_path` (written by this build, or updated by this call
        since) as this build would write them now that the text of some briefings changed and
        nothing else did (plugins/preview). `edits`: each such briefing → the content it was
        indexed with; each holds its new content. Only the files that differ are given, by
        name in `output_path`, None for one to delete (a shard none of whose words is left)."""
        folder = self.settings.get("SEARCH_PATH", DEFAULTS["SEARCH_PATH"])
        rules = load_rules()
        own = all(names(getattr(article, "entities", [])) for article in edits)  # else see heading
        mentioned = {} if own else entities_by_url(self.context.get("entities"))  # 0.2 s at 10,000
        numbers = {id(article): number for number, article in
                   enumerate(document_order(self.context.get("articles", [])))}
        files, changes = {}, {}
        for article, old_content in edits.items():
            number, head = numbers[id(article)], heading(article, mentioned)
            was = indexed({**head, "paragraphs": paragraphs(old_content)}, rules)[2]
            payload, _, weighted = indexed({**head, "paragraphs": paragraphs(article.content)}, rules)
            files[f"{folder}/docs/{number}.js"] = doc_script(number, row(head), payload).encode("utf-8")
            changes[number] = (was, weighted)
        files.update((f"{folder}/{name}", script) for name, script in
                     changed_index_files(Path(output_path) / folder, changes, len(numbers), rules).items())
        return files


def changed_index_files(folder: Path, changes: dict[int, tuple[dict, dict]], count: int,
                        rules: dict) -> dict[str, bytes | None]:
    """The files of the index in `folder` that differ once the documents numbered in `changes`
    went from their old weighted words to their new ones, by name in `folder` (None: a shard
    none of whose words is left). Only the shards of the words whose weight changed are read."""
    touched = {shard_key(word) for word in touched_words(changes)}
    index = read_postings(folder, only=touched)
    if index is None:
        raise ValueError(f"the search index in {folder} cannot be read")
    was = {name: script for name, _, script in shard_scripts(index)}
    now = updated_index(index, changes, count, rules)
    keys = set(index["shards"].split(" ") if index["shards"] else ()) - touched
    files: dict[str, bytes | None] = {}
    for name, key, script in shard_scripts(now):
        keys.add(key)
        if was.pop(name, None) != script:
            files[name] = script
    files.update(dict.fromkeys(was))
    script = head_script(sorted(keys), now)
    if script != (folder / "index.js").read_bytes():
        files["index.js"] = script
    return files


RECORD = "search index"  # this job's record among the last build's (see SearchFiles)
NOTHING = ("", 0, {})  # the entry a document added since the last build had then
LOOKUP = 100  # briefings whose entries are fetched from the cache in one query, then let go
UPDATE_AT_MOST = 8  # documents changed at most for an update of the index (or 1/32 of them)


class SearchFiles:
    """One build's search files. Each briefing has a key: a hash of everything its entry (its
    paragraphs as JSON, its text size, its weighted words) is computed from. The entry is kept
    in the build cache under that key, and the build records the keys of its documents in
    order with the index (`Reuse.record`). The next build brings over each snippet file whose
    number and key are the same, and, when only a few documents changed or were added after
    the last one (a new clipping: see document_order), updates the last index rather than
    building it again: only the postings of the words whose weight in a changed or added
    document changed differ."""

    def __init__(self, output_path: Path, folder: str, rules: dict, cache, reuse):
        self.output_path, self.folder, self.rules = output_path, folder, rules
        self.cache, self.reuse = cache or NO_CACHE, reuse
        self.articles, self.mentioned, self.rows, self.keys = [], {}, [], []
        # Why the last index, which could have been updated, was built again whole (it takes
        # several seconds at 10,000 briefings: a build cache that stays locked shows here)
        self.whole_because = ""

    def write(self, articles: list, mentioned: dict) -> tuple[int, int]:
        """Write the files; the index's size and the text it covers, in bytes."""
        docs = self.output_path / self.folder / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        for stale in docs.glob("*.js"):  # left by an earlier build of more briefings
            stale.unlink()
        self.articles, self.mentioned, self.rows, self.keys = articles, mentioned, [], []
        for article in articles:
            head = heading(article, mentioned)
            self.rows.append(row(head))
            self.keys.append(document_key(head, article.content))
        earlier = self.earlier()
        update = self.update_from(earlier)
        if update is None:
            size, text = self.build(earlier)
        else:
            size, text = self.update(earlier[1], *update)
        if self.reuse is not None:
            self.reuse.record(self.path("index.js"), (RECORD, code_version(), self.keys, text))
        return size, text

    def path(self, name: str) -> str:
        return f"{self.folder}/{name}"

    def earlier(self) -> tuple[list[bytes], int] | None:
        """The last build's document keys and text size, if this code wrote its files."""
        record = self.reuse.earlier(self.path("index.js")) if self.reuse is not None else None
        if isinstance(record, tuple) and len(record) == 4 and record[:2] == (RECORD, code_version()):
            return record[2], record[3]
        return None

    def update_from(self, earlier) -> tuple[dict, dict] | None:
        """The last build's terms and postings and the old entries of the documents that
        changed (an added one's: empty), when the index can be updated: the documents of then
        keep their numbers, few changed or were added."""
        if earlier is None or len(earlier[0]) > len(self.keys):
            return None
        changed = [number for number, (old, new) in enumerate(zip(earlier[0], self.keys)) if old != new]
        added = range(len(earlier[0]), len(self.keys))
        if len(changed) + len(added) > max(UPDATE_AT_MOST, len(self.keys) // 32):
            return None
        cache_keys = {number: self.cache.key(RECORD, earlier[0][number]) for number in changed}
        found = self.cache.get_many(list(cache_keys.values()))
        old = {number: found.get(key) for number, key in cache_keys.items()}
        if None in old.values():
            self.whole_because = "the entries of the changed briefings could not be read from the build cache"
            return None
        old.update((number, NOTHING) for number in added)
        index = read_postings(Path(self.reuse.previous) / self.folder)
        if index is None:
            self.whole_because = "the last build's index could not be read"
            return None
        return index, old

    def build(self, earlier) -> tuple[int, int]:
        """The index built from every document's entry."""
        sizes = []

        def pairs():
            for number, (payload, size, weighted) in self.entries(range(len(self.keys))):
                if not self.brought_over(number, earlier):
                    self.write_snippet(number, payload)
                sizes.append(size)
                yield weighted

        index = index_of(pairs(), self.rules)
        return write_index(self.output_path / self.folder, index), sum(sizes)

    def update(self, text: int, index: dict, old: dict) -> tuple[int, int]:
        """The last build's index with the changed documents' postings replaced (`old`: their
        old entries by number); the entries of the others are not even read."""
        needed = []
        for number, key in enumerate(self.keys):
            if number in old or not self.reuse.bring_over(self.path(f"docs/{number}.js")):
                needed.append(number)
            else:
                self.cache.keep(self.cache.key(RECORD, key))
        changes = {}
        for number, (payload, size, weighted) in self.entries(needed):
            self.write_snippet(number, payload)
            if number in old:
                changes[number] = (old[number][2], weighted)
                text += size - old[number][1]
        index = updated_index(index, changes, len(self.rows), self.rules)
        return write_index(self.output_path / self.folder, index), text

    def brought_over(self, number: int, earlier) -> bool:
        """The last build's `docs/N.js`, if it was made from the same entry."""
        return (earlier is not None and number < len(earlier[0]) and earlier[0][number] == self.keys[number]
                and self.reuse.bring_over(self.path(f"docs/{number}.js")))

    def write_snippet(self, number: int, payload: str) -> None:
        path = self.output_path / self.path(f"docs/{number}.js")
        path.write_text(doc_script(number, self.rows[number], payload), "utf-8")

    def entries(self, numbers):
        """(number, entry) for each of `numbers`, in order: from the cache, a query for every
        LOOKUP of them, or computed (and handed to the cache)."""
        numbers = list(numbers)
        for start in range(0, len(numbers), LOOKUP):
            chunk = numbers[start:start + LOOKUP]
            cache_keys = [self.cache.key(RECORD, self.keys[number]) for number in chunk]
            found = self.cache.get_many(cache_keys)
            for number, cache_key in zip(chunk, cache_keys):
                entry = found.pop(cache_key, None)
                if entry is None:
                    entry = self.computed(self.articles[number])
                    self.cache.keep(cache_key, entry)
                else:
                    self.cache.keep(cache_key)
                yield number, entry

    def computed(self, article) -> tuple[str, int, dict]:
        return indexed(document(article, self.mentioned), self.rules)


class NoCache:
    """Stands in for the build cache when plugins/build_cache is not loaded."""

    def key(self, kind: str, *parts) -> str:
        return ""

    def get_many(self, keys: list[str]) -> dict:
        return {}

    def keep(self, key: str, value=None) -> None:
        pass


NO_CACHE = NoCache()


def read_postings(folder: Path, only: set[str] | None = None) -> dict | None:
    """The terms and postings of the index in `folder` written by this module (of the shards
    index.js names, or of those among them whose keys are in `only`), with the keys of all
    its shards ("shards"), or None if they cannot all be read. Only the start of index.js is
    read: its shard keys come first."""
    try:
        with open(folder / "index.js", encoding="utf-8") as file:
            head = file.read(1 << 16)
        prefix = 'window.BRIEFING_SEARCH={"shards":'
        if not head.startswith(prefix):
            return None
        keys, _ = json.JSONDecoder().raw_decode(head, len(prefix))
        terms, postings = [], []
        for key in keys.split(" ") if keys else ():
            if only is not None and key not in only:
                continue
            script = (folder / shard_file(key)).read_text("utf-8")
            if not (script.startswith(SHARD_CALL[0]) and script.endswith(SHARD_CALL[1])):
                return None
            shard = json.loads(script[len(SHARD_CALL[0]):-len(SHARD_CALL[1])])
            words = shard["terms"].split(" ")
            if shard["key"] != key or len(words) != len(shard["postings"]):
                return None
            terms += words
            postings += shard["postings"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if terms != sorted(terms):
        return None
    return {"terms": " ".join(terms), "postings": postings, "shards": keys}


def document_key(head: dict, content: str) -> bytes:
    """A hash of everything a briefing's entry is computed from, with the code and rules that
    compute it."""
    digest = hashlib.sha256(code_version().encode("ascii"))
    for part in (repr(head), content or ""):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(data) + data)
    return digest.digest()


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


# What search shows of a briefing that other plugins make when every briefing is read (in
# their handlers of article_generator_finalized): its entities' names, its plain title.
MADE_BY = {"entities.entities": "add_entities", "structured_data.structured_data": "add_structured_data"}


def start_early(articles_generator) -> None:
    """article_generator_finalized: every briefing is read; once what search shows of each (its
    URL, title, date, source, tags, text and entities) is made too, the files need nothing
    more, and are started while the build's process goes on with the events, the cross-links
    and the pages' records on one core (a second of a build from nothing at 1,000 briefings).
    The plugins of MADE_BY must have had this signal first: list this plugin after them in
    PLUGINS (else the files are written among the pages, as before). A plugin that changes
    what search shows of a briefing must be listed before this one too."""
    job = GENERATORS.get(id(articles_generator.context))
    if job is not None and made_before(signals.article_generator_finalized, start_early):
        job.start_early()


def made_before(signal, handler) -> bool:
    """Whether each loaded plugin of MADE_BY has its handler of `signal` called before `handler`
    (Pelican's signals call their handlers in the order they were connected)."""
    order = [(getattr(function, "__module__", None), getattr(function, "__name__", None)) for function in
             (receiver() if isinstance(receiver, weakref.ref) else receiver
              for receiver in signal.receivers.values())]
    position = order.index((handler.__module__, handler.__name__))
    return all((module, name) in order[:position] for module, name in MADE_BY.items() if module in sys.modules)


def get_generators(pelican_object):
    return SearchIndexGenerator


def register() -> None:
    signals.initialized.connect(forget_generators)
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(start_early)


def forget_generators(*args) -> None:
    GENERATORS.clear()
