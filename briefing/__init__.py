"""Turn raw news clippings ("seeds") into briefings: Markdown with Pelican metadata.

The conversion is a pipeline of small stages, one module each:

    decode      bytes → text (encodings, line endings)
    segment     text → logical lines grouped in blocks
    dates       the publication date stated at the top
    sources     title line and publisher, photo captions and credits, datelines
    boilerplate scraper debris: share links, newsletter prompts, related headlines, tag lines
    headline    a headline made from the lede when the seed has none
    keywords    tags from the names a text repeats
    genre       Opinion or news
    pipeline    the stages above, in order, over one seed
    duplicates  the same article received twice (across a folder)
    overrides   the editor's corrections from the seed folder's overrides.toml
    slugs       unique, stable file names
    markdown    the briefing written as Markdown whose text is always literal
    convert     a folder of seeds: duplicates, overrides, hand-edit protection, the report

Rules, phrase lists and thresholds live in `briefing/data/*.toml`.
"""
