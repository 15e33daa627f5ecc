"""Schema of the archive, as sqlite-utils migrations applied in order on every open.

Add a migration at the end, numbered after the last, to change the schema; never edit one
that has shipped.  Names are changed only through ``RENAMED`` (at the end): an archive keeps
the names its migrations ran as, and ``migrate`` renames them before applying what is pending.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("newsarchive")


@migrations(name="m001_initial")
def m001_initial(db):
    db["crawl_runs"].create(
        {
            "id": int,
            "started": str,  # ISO 8601 UTC
            "finished": str,
            "status": str,  # running / ok / degraded / failed / interrupted
            "message": str,
            "sources_file": str,
            "pid": int,
            "stored": int,  # counts by outcome
            "duplicate": int,
            "off_topic": int,
            "not_article": int,
            "failed": int,
            "reasons": str,  # JSON object: reason -> count
            "per_source": str,  # JSON object: source -> {outcome: count}
        },
        pk="id",
        not_null={"started", "status"},
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "canonical_url": str,
            "source": str,
            "title": str,
            "authors": str,  # JSON array
            "published": str,  # ISO 8601
            "published_source": str,
            "language": str,
            "dateline": str,
            "text": str,
            "word_count": int,
            "places": str,  # JSON array of canonical place names
            "actors": str,  # JSON array
            "events": str,  # JSON array
            "topic_score": float,
            "content_hash": str,
            "duplicate_of": int,
            "crawl_run": int,
            "fetched_at": str,
        },
        pk="id",
        not_null={"url", "canonical_url", "source", "text", "fetched_at"},
        foreign_keys=[("duplicate_of", "articles", "id"), ("crawl_run", "crawl_runs", "id")],
    )
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["source", "published"])
    db["articles"].create_index(["published"])
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["duplicate_of"])
    # Every URL the crawler has judged, stored or not (off-topic, not an article...),
    # so later runs need not fetch it again.
    db["seen_urls"].create(
        {
            "canonical_url": str,
            "source": str,
            "outcome": str,  # stored / duplicate / off-topic / not-article
            "first_seen": str,
            "last_seen": str,
            "crawl_run": int,
        },
        pk="canonical_url",
    )


# --- issue 5: search, places, published month (see archive/search.py, archive/places.py) ---
@migrations(name="m002_search")
def m002_search(db):
    # normalised copies of title/text (filled by archive.search.index_articles) + FTS5
    db["articles_search"].create({"id": int, "title": str, "text": str}, pk="id")
    db["articles_search"].enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
    # a deleted or rewritten article leaves the index; index_pending() picks it up again
    db.execute(
        "create trigger articles_unindex_ad after delete on articles begin "
        "delete from articles_search where id = old.id; end"
    )
    db.execute(
        "create trigger articles_unindex_au after update of title, text on articles begin "
        "delete from articles_search where id = new.id; end"
    )


@migrations(name="m003_places")
def m003_places(db):
    # rebuilt by archive.places.refresh_places from the gazetteer and articles.places
    db["places"].create(
        {"name": str, "name_ar": str, "governorate": str, "kind": str, "latitude": float,
         "longitude": float, "article_count": int, "geonameid": int, "source": str,
         "popup": str},
        pk="name",
    )


@migrations(name="m004_published_month")
def m004_published_month(db):
    # "2026-03" for faceting by month in Datasette
    db.execute(
        "alter table articles add column published_month text "
        "generated always as (substr(published, 1, 7)) virtual"
    )


# --- issue 3: learned per-source boilerplate lines (see archive/boilerplate.py) ---------
@migrations(name="m005_boilerplate_lines")
def m005_boilerplate_lines(db):
    # how many articles of each source the clean stage has seen
    db.execute(
        "create table boilerplate_sources (source text primary key, "
        "articles integer not null default 0)"
    )
    # in how many of those articles each normalised line (pipelines.clean.line_key) appeared
    db.execute(
        "create table boilerplate_lines (source text not null, line_key text not null, "
        "articles integer not null default 0, example text, first_seen text, last_seen text, "
        "primary key (source, line_key)) without rowid"
    )
    db.execute("create index idx_boilerplate_lines_count on boilerplate_lines (source, articles)")


# --- issue 4: de-duplication index, article versions, stories (see archive/dedup.py) ---
@migrations(name="m006_dedup")
def m006_dedup(db):
    db.execute(
        "create table dedup_signatures (article_id integer primary key "
        "references articles(id) on delete cascade, signature blob not null, "
        "band_keys blob not null, kind text, similarity real)"
    )
    # the primary key is the LSH index: candidates are found by key, never by a scan
    db.execute(
        "create table dedup_bands (key integer not null, article_id integer not null, "
        "primary key (key, article_id)) without rowid"
    )
    db.execute(
        "create table article_versions (id integer primary key, article_id integer not null "
        "references articles(id) on delete cascade, url text, title text, text text, "
        "content_hash text, word_count integer, fetched_at text, replaced_at text, "
        "crawl_run integer)"
    )
    db.execute("create index idx_article_versions_article_id on article_versions (article_id)")
    db.execute(
        "create view stories as select coalesce(a.duplicate_of, a.id) as story_id, "
        "root.title as title, root.source as first_source, root.url as first_url, "
        "root.published as published, count(*) as articles, "
        "count(distinct a.source) as outlet_count, "
        "json_group_array(distinct a.source) as outlets, "
        "min(a.fetched_at) as first_fetched, max(a.fetched_at) as last_fetched "
        "from articles a join articles root on root.id = coalesce(a.duplicate_of, a.id) "
        "group by coalesce(a.duplicate_of, a.id)"
    )


# --- issue 7: raw captures in WARC files (see archive/warcfiles.py) ---------------------
@migrations(name="m007_warc_pointers")
def m007_warc_pointers(db):
    # where the article's HTTP response is kept: a WARC file (path relative to the
    # archive's folder), the byte offset and length of its gzip member, its payload digest
    for column, kind in (("warc_file", str), ("warc_offset", int), ("warc_length", int),
                         ("warc_digest", str)):
        db["articles"].add_column(column, kind)
    db.execute("create index idx_articles_warc_file on articles (warc_file)")


# --- issue 6: HTTP validators for conditional requests (see archive/http_cache.py) ------
@migrations(name="m008_http_cache")
def m008_http_cache(db):
    # one row per feed, sitemap or listing page (and re-visited article) fetched with
    # validators: the next run sends If-None-Match / If-Modified-Since and a 304 saves
    # the download
    db["http_cache"].create(
        {"url": str, "etag": str, "last_modified": str, "checked": str, "crawl_run": int},
        pk="url",
    )


@migrations(name="m009_url_aliases")
def m009_url_aliases(db):
    # canonical forms of the URLs that led to an article whose own canonical URL (from
    # rel=canonical) differs: the next run knows them as already judged without a download
    db["url_aliases"].create({"url": str, "canonical_url": str, "crawl_run": int}, pk="url")


# --- issue 4: index the articles archived before m006_dedup (see archive/dedup.py) -------
@migrations(name="m010_dedup_backfill")
def m010_dedup_backfill(db):
    # articles with next_id <= id < below_id predate the dedup index; the dedup stage
    # indexes them in batches at the start of a crawl and moves next_id on
    db.execute(
        "create table dedup_backfill (id integer primary key check (id = 1), "
        "next_id integer not null, below_id integer not null)"
    )
    db.execute(
        "insert into dedup_backfill (id, next_id, below_id) select 1, coalesce(min(a.id), 1), "
        "coalesce(max(a.id), 0) + 1 from articles a "
        "where not exists (select 1 from dedup_signatures s where s.article_id = a.id)"
    )


# --- issue 5: Arabic words also indexed without their clitics (see archive/search.py) ---
@migrations(name="m011_search_forms")
def m011_search_forms(db):
    # a third indexed column, "forms": وإدلب / بإدلب also indexed as ادلب.  The index is
    # emptied; archive.search.index_pending (serve, publish-snapshot) rebuilds it.
    db.execute("delete from articles_search")
    db["articles_search"].disable_fts()
    db["articles_search"].add_column("forms", str)
    db["articles_search"].enable_fts(
        ["title", "text", "forms"], fts_version="FTS5", create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


# --- issue 17: word forms in search (see archive/search.py, pipelines/fulltext.py) ------
@migrations(name="m012_search_terms")
def m012_search_terms(db):
    # the "forms" column (Arabic words without clitics) gives way to search_terms: every
    # indexed word under each of its stems, to expand a query word to all its forms.  The
    # index is emptied; archive.search.index_pending (serve, publish-snapshot, search,
    # export --search) rebuilds it with the stems.
    db.execute("delete from articles_search")
    db["articles_search"].disable_fts()
    db.execute("alter table articles_search drop column forms")
    db["articles_search"].enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
    db.execute(
        "create table search_terms (stem text not null, term text not null, "
        "primary key (stem, term)) without rowid"
    )


# --- issue 20: incidents and the events they are grouped into (see archive/incidents.py) ----
@migrations(name="m013_incidents")
def m013_incidents(db):
    # one row per incident an article reports (pipelines/incidents extracts them): what,
    # when, where, by whom, how many, and the sentence that says so
    db["incident_events"].create(
        {
            "id": int,
            "event_type": str,
            "place": str,  # gazetteer name, the most specific the reports give
            "governorate": str,
            "latitude": float,
            "longitude": float,
            "first_date": str,  # ISO dates of the reports' incidents
            "last_date": str,
            "month": str,  # YYYY-MM of first_date, for facets
            "actors": str,  # JSON array
            "report_count": int,
            **{f"{figure}_{part}": int
               for figure in ("killed", "wounded", "children", "women", "detained", "displaced")
               for part in ("min", "max", "latest")},
        },
        pk="id",
    )
    db["incidents"].create(
        {
            "id": int,
            "article_id": int,
            "ordinal": int,  # the incident's place among the article's incidents
            "event_type": str,
            "date": str,  # ISO date
            "date_source": str,  # text / published
            "month": str,  # YYYY-MM of date, for facets
            "place": str,
            "governorate": str,
            "latitude": float,
            "longitude": float,
            "actors": str,  # JSON array
            "killed": int,
            "wounded": int,
            "children": int,  # of the killed
            "women": int,  # of the killed
            "detained": int,
            "displaced": int,
            "qualifiers": str,  # JSON: figure -> ["at least", ...]
            "figures": str,  # JSON: figure -> {text, value, qualifiers, start, end}
            "evidence": str,  # the incident's first sentence
            "evidence_in": str,  # text / title
            "evidence_start": int,  # its character span in the article's text (or title)
            "evidence_end": int,
            "evidence_fields": str,  # JSON: field -> {in, start, end, sentence}
            "event_id": int,
        },
        pk="id",
        not_null={"article_id", "event_type"},
        foreign_keys=[("article_id", "articles", "id"), ("event_id", "incident_events", "id")],
    )
    db["incidents"].create_index(["article_id"])
    db["incidents"].create_index(["event_id"])
    db["incidents"].create_index(["date"])
    db["incidents"].create_index(["governorate", "date"])
    db["incident_events"].create_index(["first_date"])


# --- issue 14: every fetched page and what was judged of it (see archive/pages.py) -------
@migrations(name="m014_pages")
def m014_pages(db):
    # one row per page the crawl fetched and judged (stored, a copy, not an article,
    # off-topic, failed): its capture in the WARC files, so that any of them can be listed,
    # re-read and judged again offline (`newsarchive reprocess`)
    db["pages"].create(
        {
            "url": str,  # the page's URL (after redirects)
            "canonical_url": str,  # its canonical form, when it is an article
            "source": str,
            "via": str,  # how it was reached: start, link, feed, sitemap, wayback, import
            "fetched_at": str,  # when it was fetched (or captured), ISO 8601 UTC
            "crawl_run": int,  # the run that fetched it
            "outcome": str,  # stored, duplicate, not_article, off_topic, failed
            "reason": str,  # what it is or why: listing, empty, too-short, too-slow...
            "detail": str,  # one line
            "article_id": int,  # the article it is (or was filed as), if any
            "judged_at": str,  # when it was last judged (a crawl, or reprocess)
            "warc_file": str,  # its capture
            "warc_offset": int,
            "warc_length": int,
            "warc_digest": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id"), ("crawl_run", "crawl_runs", "id")],
    )
    db["pages"].create_index(["outcome", "reason"])
    db["pages"].create_index(["crawl_run"])
    db["pages"].create_index(["article_id"])


# --- issue 16: credits of bylines and credit lines (see pipelines/bylines.py) --------------
@migrations(name="m015_article_credits")
def m015_article_credits(db):
    # JSON array of {"name", "role"}: agencies and outlets a story came from, people
    # credited for editing, additional reporting, translation, photos.  Empty for articles
    # archived before; ``newsarchive reprocess`` fills it from their captures.
    db["articles"].add_column("credits", str)


@migrations(name="m016_dedup_refold")
def m016_dedup_refold(db):
    # the near-duplicate fingerprint now folds place spellings and number words before
    # shingling (pipelines/dedup.py fold_spellings): every archived article is queued for
    # re-indexing.  The back-fill (archive/dedup.py, run at the start of a crawl and of
    # ``newsarchive reprocess``) re-fingerprints them from their stored text in batches,
    # keeping each one's story (duplicate_of) and how it was matched.
    db.execute(
        "update dedup_backfill set next_id = (select coalesce(min(id), 1) from articles), "
        "below_id = (select coalesce(max(id), 0) + 1 from articles) where id = 1"
    )


# --- names of before: old name -> name now (read by rename_applied) ------------------------
# An archive records each migration under the name it ran as.  Rows stay here for good: an
# archive last opened years ago still holds the oldest names.  An old name is never the name
# of a migration now (tests/archive/test_migrations.py checks), so a rename cannot chain.
RENAMED = {
    # issue 16 first shipped these on its branch; issue 14 had taken m070 for m070_pages
    "m070_article_credits": "m015_article_credits",
    "m071_dedup_refold": "m016_dedup_refold",
    # issue 13: numbered in the order they run (they were numbered by topic)
    "m030_search": "m002_search",
    "m031_places": "m003_places",
    "m032_published_month": "m004_published_month",
    "m010_boilerplate_lines": "m005_boilerplate_lines",
    "m020_dedup": "m006_dedup",
    "m050_warc_pointers": "m007_warc_pointers",
    "m040_http_cache": "m008_http_cache",
    "m041_url_aliases": "m009_url_aliases",
    "m021_dedup_backfill": "m010_dedup_backfill",
    "m033_search_forms": "m011_search_forms",
    "m034_search_terms": "m012_search_terms",
    "m060_incidents": "m013_incidents",
    "m070_pages": "m014_pages",
    "m071_article_credits": "m015_article_credits",
    "m072_dedup_refold": "m016_dedup_refold",
}


def rename_applied(db) -> None:
    """Record the migrations ``db`` applied under an old name (``RENAMED``) under their name
    now, so that ``migrations.apply`` does not run them again.  Idempotent, one transaction.

    A migration recorded more than once (an archive of the issue-16 branch, opened since,
    has ``m070_article_credits`` and ``m071_article_credits``) keeps its first record.
    """
    table = migrations.migrations_table
    if not db[table].exists():
        return
    marks = ", ".join("?" * len(RENAMED))
    if not db.execute(f"select 1 from [{table}] where migration_set = ? and name in ({marks})",
                      [migrations.name, *RENAMED]).fetchone():
        return  # nothing to do: no write lock taken
    groups: dict[str, list[str]] = {}
    for old, new in RENAMED.items():
        groups.setdefault(new, []).append(old)
    with db.atomic():
        for new, olds in groups.items():
            names = [new, *olds]
            marks = ", ".join("?" * len(names))
            db.execute(
                f"delete from [{table}] where migration_set = ? and name in ({marks}) "
                f"and exists (select 1 from [{table}] earlier where earlier.migration_set = ? "
                f"and earlier.name in ({marks}) and earlier.rowid < [{table}].rowid)",
                [migrations.name, *names, migrations.name, *names])
            db.execute(
                f"update [{table}] set name = ? where migration_set = ? "
                f"and name in ({', '.join('?' * len(olds))})",
                [new, migrations.name, *olds])


def migrate(db) -> None:
    """Bring ``db`` to the current schema: rename what it applied, apply what is pending."""
    rename_applied(db)
    migrations.apply(db)
