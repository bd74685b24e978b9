/* Search page: looks words up in window.BRIEFING_SEARCH (search/index.js, written by
   plugins/search_index) and the shards of its postings (search/terms/<key>.js: the words that
   start with the same two characters), loaded for the words typed, and shows each result from
   search/docs/N.js (its link, title, date, source and the paragraphs its snippet is cut from),
   loaded for the results shown. Everything is loaded with <script> elements, which browsers
   run from file:// where fetch() is refused. Text from briefings is only ever set as
   textContent. */
(function () {
  "use strict";
  var data = window.BRIEFING_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!data || !form || !input || !status || !list) return;

  var MAX_RESULTS = 50;
  var MAX_EXPANSIONS = 50; // words one query word may start ("pak" → pakistan, pakistani…)
  var SNIPPET = 220;
  var keys = data.shards ? data.shards.split(" ") : [];
  var stop = new Set(data.stop.split(" "));
  var shards = {}; // key → {terms, postings, decoded} once its script has run
  var asked = {};
  var waiting = null; // the text to search once the shards it needs are here
  var docs = {}; // number → {row, paragraphs} once its script has run, null if it cannot be
  var requested = {};
  var query = [];
  var timer = 0;

  // Same folding as the index (plugins/search_index: fold, tokens).
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase();
  }

  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (word) {
      return !stop.has(word) && (word.length >= data.min || /^\p{Nd}+$/u.test(word));
    });
  }

  // The shards that hold a word and the words it starts (plugins/search_index: shard_key).
  function keysFor(word) {
    var start = Array.from(word).slice(0, 2).join("");
    if (start !== word) return keys.indexOf(start) >= 0 ? [start] : [];
    return keys.filter(function (key) { return key.lastIndexOf(word, 0) === 0; });
  }

  // Its file: a character other than a-z and 0-9 as _<hex code point>_ (as shard_file does).
  function shardFile(key) {
    return Array.from(key).map(function (character) {
      return /^[a-z0-9]$/.test(character) ? character : "_" + character.codePointAt(0).toString(16) + "_";
    }).join("") + ".js";
  }

  function arrived(key, shard) {
    shards[key] = { terms: shard.terms ? shard.terms.split(" ") : [], postings: shard.postings, decoded: {} };
    if (waiting !== null) show(waiting);
  }

  window.briefingSearchShard = function (shard) { arrived(shard.key, shard); };

  function load(key) {
    if (asked[key]) return;
    asked[key] = true;
    var script = document.createElement("script");
    script.src = list.getAttribute("data-terms") + shardFile(key);
    // a shard that cannot be loaded, or does not say what it holds, is searched as empty
    script.onerror = function () { arrived(key, { terms: "", postings: [] }); };
    script.onload = function () { if (!shards[key]) script.onerror(); };
    document.body.appendChild(script);
  }

  function firstAtLeast(terms, word) {
    var low = 0, high = terms.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (terms[middle] < word) low = middle + 1; else high = middle;
    }
    return low;
  }

  function postings(shard, i) {
    if (!shard.decoded[i]) {
      var doc = 0;
      shard.decoded[i] = shard.postings[i].split(",").map(function (entry) {
        var parts = entry.split(":");
        doc += parseInt(parts[0], 36);
        return [doc, parts.length > 1 ? parseInt(parts[1], 36) : 1];
      });
    }
    return shard.decoded[i];
  }

  // Documents containing a query word or a word it starts, scored by weight and rarity.
  function matches(word) {
    var scores = new Map(), n = 0;
    keysFor(word).forEach(function (key) {
      var shard = shards[key];
      for (var i = firstAtLeast(shard.terms, word); i < shard.terms.length && n < MAX_EXPANSIONS; i++, n++) {
        var term = shard.terms[i];
        if (term.lastIndexOf(word, 0) !== 0) break;
        var found = postings(shard, i);
        var weight = Math.log(1 + data.count / found.length) * (term === word ? 1 : 0.5);
        found.forEach(function (posting) {
          scores.set(posting[0], Math.max(scores.get(posting[0]) || 0, posting[1] * weight));
        });
      }
    });
    return scores;
  }

  // The shards a text's words need that are not here yet.
  function missing(text) {
    var needed = [];
    words(text).forEach(function (word) {
      keysFor(word).forEach(function (key) {
        if (!shards[key] && needed.indexOf(key) < 0) needed.push(key);
      });
    });
    return needed;
  }

  // Briefings containing every query word, best first; ties newest first.
  function search(text) {
    query = words(text);
    if (!query.length) return [];
    var total = null;
    query.forEach(function (word) {
      var found = matches(word);
      if (total === null) { total = found; return; }
      var both = new Map();
      total.forEach(function (score, doc) {
        if (found.has(doc)) both.set(doc, score + found.get(doc));
      });
      total = both;
    });
    // documents are numbered oldest first (plugins/search_index: document_order)
    return Array.from(total.entries()).sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A result's place in the list, filled in by showResult once its docs/N.js is here.
  function resultItem(number) {
    var item = element("li", "search-result");
    item.setAttribute("data-doc", number);
    item.appendChild(element("p", "search-loading", "Loading…"));
    return item;
  }

  function fill(item, doc) {
    var row = doc.row; // [url, title, date label, iso date, source]
    var heading = element("h2");
    var link = element("a", "", row[1]);
    link.href = list.getAttribute("data-root") + row[0];
    heading.appendChild(link);
    var meta = element("p", "meta");
    var date = element(row[3] ? "time" : "span", row[3] ? "" : "undated", row[2] || "Undated");
    if (row[3]) date.setAttribute("datetime", row[3]);
    meta.appendChild(date);
    if (row[4]) meta.appendChild(document.createTextNode(" · " + row[4]));
    item.textContent = "";
    item.appendChild(heading);
    item.appendChild(meta);
    var text = element("p", "search-snippet");
    item.appendChild(text);
    showSnippet(text, doc.paragraphs);
  }

  // A text folded as the index folds it, with the position in the original of each character.
  function foldWithMap(text) {
    var folded = "", map = [];
    for (var i = 0; i < text.length;) {
      var character = String.fromCodePoint(text.codePointAt(i));
      var part = fold(character);
      for (var k = 0; k < part.length; k++) map.push(i);
      folded += part;
      i += character.length;
    }
    map.push(text.length);
    return { text: folded, map: map };
  }

  function escapeRegExp(word) {
    return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // [start, end] of each place in `text` where a word starts with a query word.
  function hits(text) {
    var folded = foldWithMap(text);
    var pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + query.map(escapeRegExp).join("|") + ")", "gu");
    var found = [], match;
    while ((match = pattern.exec(folded.text)) !== null) {
      var start = match.index + match[1].length;
      found.push([folded.map[start], folded.map[start + match[2].length]]);
    }
    return found;
  }

  // The paragraph with the most of the query's words, cut around the first of them.
  function snippet(paragraphs) {
    var best = null;
    paragraphs.forEach(function (paragraph) {
      var found = hits(paragraph[1]);
      if (found.length && (!best || found.length > best.found.length)) best = { text: paragraph[1], found: found };
    });
    if (!best) return paragraphs.length ? { text: paragraphs[0][1], found: [] } : null;
    return best;
  }

  function showSnippet(item, paragraphs) {
    var found = snippet(paragraphs);
    if (!found) return;
    var first = found.found.length ? found.found[0][0] : 0;
    var start = Math.max(0, first - 60);
    if (start > 0) start = found.text.indexOf(" ", start) + 1 || start;
    var end = Math.min(found.text.length, start + SNIPPET);
    if (end < found.text.length) end = found.text.lastIndexOf(" ", end) > first ? found.text.lastIndexOf(" ", end) : end;
    item.textContent = start > 0 ? "…" : "";
    var at = start;
    found.found.forEach(function (hit) {
      if (hit[0] < at || hit[1] > end) return;
      item.appendChild(document.createTextNode(found.text.slice(at, hit[0])));
      item.appendChild(element("mark", "", found.text.slice(hit[0], hit[1])));
      at = hit[1];
    });
    item.appendChild(document.createTextNode(found.text.slice(at, end) + (end < found.text.length ? "…" : "")));
  }

  function showResult(number) {
    var item = list.querySelector('[data-doc="' + number + '"]');
    if (!item) return; // no longer among the results shown
    if (docs[number]) fill(item, docs[number]);
    else item.textContent = "This briefing could not be loaded.";
  }

  window.briefingSearchDoc = function (number, row, paragraphs) {
    docs[number] = { row: row, paragraphs: paragraphs };
    showResult(number);
  };

  function loadDoc(number) {
    if (number in docs) { showResult(number); return; }
    if (requested[number]) return;
    requested[number] = true;
    var script = document.createElement("script");
    script.src = list.getAttribute("data-docs") + number + ".js";
    // a file that cannot be loaded, or does not say what it holds, leaves its result a line
    script.onerror = function () { docs[number] = null; showResult(number); };
    script.onload = function () { if (!(number in docs)) script.onerror(); };
    document.body.appendChild(script);
  }

  function describe(text, count) {
    if (!text.trim()) return "";
    if (!query.length) return "Only very common words: add a name, a place or another word.";
    if (!count) return "No briefing matches " + text.trim() + ".";
    var found = count === 1 ? "1 briefing matches" : count + " briefings match";
    return found + (count > MAX_RESULTS ? "; the best " + MAX_RESULTS + " are shown." : ".");
  }

  function show(text) {
    var needed = missing(text);
    waiting = needed.length ? text : null;
    if (needed.length) {
      status.textContent = "Searching…";
      needed.forEach(load);
      return;
    }
    var results = search(text);
    var shown = results.slice(0, MAX_RESULTS).map(function (result) { return result[0]; });
    list.textContent = "";
    shown.forEach(function (number) { list.appendChild(resultItem(number)); });
    status.textContent = describe(text, results.length);
    shown.forEach(loadDoc);
  }

  function remember(text) {
    try {
      history.replaceState(null, "", "?q=" + encodeURIComponent(text));
    } catch (error) { /* some browsers refuse it for file:// pages; the results still show */ }
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    show(input.value);
    remember(input.value);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus(); else if (next < all.length) all[next].focus();
    } else if (event.key === "Escape") {
      input.focus();
    }
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    show(initial);
  }
})();
