"""Canned queries shown on the database page in Datasette (``newsarchive serve``).

Each is plain SQL over the archive; parameters (``:place``, ``:since``...) become form fields.
An empty date parameter means "no bound".  Kept here, not in metadata.py, so the SQL of the
archive stays readable in one place and the tests can run every query directly.
"""

from __future__ import annotations

LATEST_ARTICLES = """
select id, published, source, language, title, url
from articles
where duplicate_of is null
order by published desc, id desc
limit 200
""".strip()

PLACE_BETWEEN_DATES = """
select id, published, source, title, url
from articles
where exists (select 1 from json_each(articles.places)
               where value in (select value from json_each(newsarchive_places(:place))))
  and (:since = '' or published >= newsarchive_date(:since, 0))
  and (:until = '' or published < date(newsarchive_date(:until, 1), '+1 day'))
order by published desc, id desc
""".strip()

STORY_ACROSS_OUTLETS = """
with clusters as (
  select coalesce(duplicate_of, id) as story, id, source, published
  from articles
)
select
  clusters.story,
  original.title as title,
  count(*) as articles,
  count(distinct clusters.source) as outlets,
  group_concat(distinct clusters.source) as sources,
  min(clusters.published) as first_published,
  max(clusters.published) as last_published
from clusters join articles as original on original.id = clusters.story
group by clusters.story
having count(*) > 1
order by last_published desc
""".strip()

STORY_ARTICLES = """
select id, published, source, title, url, duplicate_of
from articles
where id = :story or duplicate_of = :story
order by published
""".strip()

SOURCE_HEALTH = """
with per_run as (
  select
    crawl_runs.id as run,
    crawl_runs.finished,
    crawl_runs.status,
    per_source.key as source,
    coalesce(json_extract(per_source.value, '$.stored'), 0) as stored,
    coalesce(json_extract(per_source.value, '$.failed'), 0) as failed
  from crawl_runs, json_each(crawl_runs.per_source) as per_source
  where json_valid(crawl_runs.per_source)
)
select
  source,
  max(case when stored > 0 then finished end) as last_success,
  count(*) as runs,
  round(avg(stored), 1) as articles_per_run,
  (select stored from per_run as last where last.source = per_run.source
     order by run desc limit 1) as stored_last_run,
  sum(failed) as failed_total,
  (select count(*) from articles where articles.source = per_run.source) as articles_in_archive,
  (select max(published) from articles where articles.source = per_run.source) as newest_article
from per_run
group by source
order by last_success is null desc, last_success
""".strip()

# newsarchive_match(), newsarchive_places(), newsarchive_date(): SQL functions of the
# Datasette plugin (the query syntax and the names are pipelines' business, not SQL's)
SEARCH_ARTICLES = """
select articles.id, articles.published, articles.source, articles.title,
  snippet(articles_search_fts, -1, '⟦', '⟧', ' … ', 24) as snippet,
  (select count(*) from articles_search_fts
   where articles_search_fts match newsarchive_match(:term)) as matches,
  articles.url
from articles_search_fts
join articles on articles.id = articles_search_fts.rowid
where articles_search_fts match newsarchive_match(:term)
order by case when :order = 'date' then articles.published end desc,
  bm25(articles_search_fts, 3.0, 1.0)
limit 200
""".strip()

PLACES_MAP = """
select name, name_ar, governorate, kind, article_count, latitude, longitude, popup
from places
where latitude is not null and longitude is not null and article_count > 0
order by article_count desc
""".strip()

# name -> Datasette canned-query metadata (SQL folded away: "show" reveals it)
CANNED_QUERIES = {
    "map": {
        "title": "Map of places",
        "description": "Places mentioned in the archive; click a marker, then its link, "
                       "for the articles mentioning the place.  All gazetteer places: the "
                       "places table.",
        "sql": PLACES_MAP,
        "hide_sql": True,
    },
    "latest_articles": {
        "title": "Latest articles",
        "description": "The 200 newest originals (duplicates left out), newest first.",
        "sql": LATEST_ARTICLES,
        "hide_sql": True,
    },
    "articles_mentioning_place": {
        "title": "Articles mentioning a place between two dates",
        "description": "place: any spelling the gazetteer knows (Idlib, Idleb, إدلب, "
                       "Idlib Governorate); since/until: publication date, YYYY-MM-DD, "
                       "YYYY-MM or YYYY, inclusive, either may be left empty.",
        "sql": PLACE_BETWEEN_DATES,
        "hide_sql": True,
    },
    "story_across_outlets": {
        "title": "One story across outlets",
        "description": "Clusters of near-duplicate articles (articles.duplicate_of): the same "
                       "story as published by several outlets.  Open one with story_articles.",
        "sql": STORY_ACROSS_OUTLETS,
        "hide_sql": True,
    },
    "story_articles": {
        "title": "Articles of one story",
        "description": "story: the id of the original article of a cluster.",
        "sql": STORY_ARTICLES,
        "hide_sql": True,
    },
    "source_health": {
        "title": "Source health",
        "description": "Per source, from crawl_runs.per_source: last run that stored an article, "
                       "articles stored per run, failures.  Sources that never succeeded first.",
        "sql": SOURCE_HEALTH,
        "hide_sql": True,
    },
    "search": {
        "title": "Search articles",
        "description": "Full-text search over title and text.  Each word also finds its "
                       "other forms (strike: strikes; نازحين: النازحين; حلب: بحلب) and "
                       "Arabic spelling variants (إدلب = ادلب).  Idlib OR Aleppo; "
                       "Idlib -Aleppo; \"exact phrase\"; displac* (prefix); parentheses.  "
                       "order: relevance (empty) or date (newest first).  matches: how "
                       "many articles match in all (up to 200 are listed).",
        "sql": SEARCH_ARTICLES,
        "hide_sql": True,
    },
}

ARTICLES_PER_WEEK = """
select date(published, 'weekday 0', '-6 days') as week, source, count(*) as articles
from articles
where published is not null and duplicate_of is null
group by week, source
order by week
""".strip()

EVENTS_PER_WEEK = """
select date(published, 'weekday 0', '-6 days') as week, event.value as event, count(*) as articles
from articles, json_each(articles.events) as event
where published is not null and json_valid(articles.events) and duplicate_of is null
group by week, event
order by week
""".strip()
