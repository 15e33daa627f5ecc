"""Canned queries shown on the database page in Datasette (``newsarchive serve``).

Each is plain SQL over the archive; parameters (``:place``, ``:since``...) become form fields.
An empty date parameter means "no bound".  Kept here, not in metadata.py, so the SQL of the
archive stays readable in one place and the tests can run every query directly.
"""

from __future__ import annotations

_LATEST = """
select id, published, source, language, title, url
from articles
where duplicate_of is null
order by published desc, id desc
""".strip()
LATEST_ARTICLES = _LATEST + "\nlimit 200"
FRONT_LATEST = _LATEST + "\nlimit 10"  # the home page's list

PLACE_BETWEEN_DATES = """
select id, published, source, title, url
from articles
where exists (select 1 from json_each(articles.places)
               where value in (select value from json_each(newsarchive_places(:place))))
  and (:since = '' or published >= newsarchive_date(:since, 0))
  and (:until = '' or published < date(newsarchive_date(:until, 1), '+1 day'))
order by published desc, id desc
""".strip()

# one row per story told by more than one article; ``copies`` is a JSON array of every
# article of the story (id, source, published, title), oldest first, which the web layer
# shows as links
STORY_ACROSS_OUTLETS = """
with clusters as (
  select coalesce(duplicate_of, id) as story, id, source, published, title
  from articles
),
stories as (
  select story, count(*) as articles, count(distinct source) as outlet_count,
         min(published) as first_published, max(published) as last_published
  from clusters
  group by story
  having count(*) > 1
)
select
  stories.story,
  original.title as title,
  stories.outlet_count as outlets,
  stories.articles,
  stories.first_published,
  stories.last_published,
  (select json_group_array(json_object('id', c.id, 'source', c.source,
                                       'published', c.published, 'title', c.title))
     from (select * from clusters where clusters.story = stories.story
           order by published, id) as c) as copies
from stories join articles as original on original.id = stories.story
order by stories.last_published desc, stories.story desc
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

# The map (the web layer's map page): one row per place mentioned by the articles that pass
# the filters (empty parameter: no filter), with its coordinates, the number of articles
# and its five newest articles as a JSON array.  Every article counts, each outlet's copy
# of a story included, as in the places table and the articles facets.
MAP_PLACES = """
with hits as (
  select place.value as place, a.id, a.title, a.published, a.source,
         row_number() over (partition by place.value
                            order by a.published desc, a.id desc) as n
  from articles as a, json_each(case when json_valid(a.places) then a.places else '[]' end)
       as place
  where (:since = '' or a.published >= :since)
    and (:until = '' or a.published < date(:until, '+1 day'))
    and (:source = '' or a.source = :source)
    and (:event = '' or exists (
      select 1 from json_each(case when json_valid(a.events) then a.events else '[]' end)
      where value = :event))
)
select
  hits.place as name, places.name_ar, places.governorate, places.latitude, places.longitude,
  count(*) as articles,
  json_group_array(json_object('id', hits.id, 'title', hits.title,
                               'published', hits.published, 'source', hits.source))
    filter (where hits.n <= 5) as latest
from hits left join places on places.name = hits.place
group by hits.place
order by articles desc, hits.place
""".strip()

# The map with ?show=killed: incident events (each incident once, however many outlets
# reported it) by place, sized by the deaths reported (the highest toll of each event);
# :since/:until on the event's first date, :event its type, :source an outlet that reported
# it.  Same shape as MAP_PLACES, with ``killed`` and ``events`` for ``articles``.
MAP_KILLED = """
with hits as (
  select e.id, e.place, e.governorate, e.latitude, e.longitude, e.event_type, e.first_date,
         e.killed_max as killed,
         row_number() over (partition by e.place
                            order by e.first_date desc, e.id desc) as n
  from incident_events as e
  where e.killed_max > 0
    and (:since = '' or e.first_date >= :since)
    and (:until = '' or e.first_date <= :until)
    and (:event = '' or e.event_type = :event)
    and (:source = '' or exists (
      select 1 from incidents as i join articles as a on a.id = i.article_id
      where i.event_id = e.id and a.source = :source))
)
select
  hits.place as name, places.name_ar, hits.governorate,
  coalesce(places.latitude, max(hits.latitude)) as latitude,
  coalesce(places.longitude, max(hits.longitude)) as longitude,
  sum(hits.killed) as killed, count(*) as events,
  json_group_array(json_object('id', hits.id, 'event_type', hits.event_type,
                               'first_date', hits.first_date, 'killed', hits.killed))
    filter (where hits.n <= 5) as latest
from hits left join places on places.name = hits.place
group by hits.place
order by killed desc, hits.place
""".strip()

MAP_SOURCES = "select distinct source from articles where source is not null order by source"
MAP_EVENTS = """
select distinct value from articles, json_each(articles.events)
where json_valid(articles.events) order by value
""".strip()

# Pages dropped by reason, over every crawl run (crawl_runs.reasons)
DROPPED_REASONS = """
select reason.key as reason, sum(reason.value) as pages, count(*) as runs,
       max(crawl_runs.finished) as last_run
from crawl_runs, json_each(crawl_runs.reasons) as reason
where json_valid(crawl_runs.reasons)
group by reason.key
order by pages desc, reason
""".strip()

# The home page: articles by source, in total and in each of the archive's last six months
# (counted back from the newest article, so an old archive shows its own last months)
SOURCE_MONTHS = """
with months(month, n) as (
  select substr(max(published), 1, 7), 1 from articles where published >= '1900'
  union all
  select substr(date(month || '-01', '-1 month'), 1, 7), n + 1 from months where n < 6
)
select articles.source, months.month, count(articles.id) as articles
from months join articles on substr(articles.published, 1, 7) = months.month
group by articles.source, months.month
""".strip()

SOURCE_TOTALS = """
select source, count(*) as articles, max(published) as newest
from articles group by source order by articles desc, source
""".strip()

# The article page (web layer): the original a duplicate repeats, the story's other
# articles, and the earlier versions of the text
ARTICLE_ORIGINAL = "select id, title, source, published from articles where id = :id"
ARTICLE_STORY = """
select id, title, source, published from articles
where (id = :story or duplicate_of = :story) and id != :id
order by published, id
""".strip()
ARTICLE_VERSIONS = """
select id, title, fetched_at, replaced_at, word_count from article_versions
where article_id = :id order by replaced_at, id
""".strip()
ARTICLE_CAPTURE = """
select id, url, warc_file, warc_offset, warc_length, warc_digest, fetched_at
from articles where id = :id
""".strip()

# --- Incidents (issue 20; the "incidents" dashboard and a canned query) -------------------
# Reported deaths per month by the actor held responsible: one row per event (copies and
# toll updates of an incident are one event, counted once, with the highest toll reported:
# killed_max); an event naming two actors counts for each, one naming none under "(not
# stated)".  :date_start, :date_end: the event's first date (YYYY-MM-DD, inclusive; empty:
# no limit).
DEATHS_BY_ACTOR = """
with events as (
  select first_date as day, actors, killed_max as killed
  from incident_events
  where killed_max is not null and first_date >= '1900'
    and (:date_start = '' or first_date >= :date_start)
    and (:date_end = '' or first_date <= :date_end)
),
attributed as (
  select date(day, 'start of month') as period, actor.value as actor, killed
  from events, json_each(case when json_valid(actors) and json_array_length(actors) > 0
                              then actors else '["(not stated)"]' end) as actor
)
select period, date(period, '+1 month') as period_end, actor, sum(killed) as killed,
       count(*) as events
from attributed
group by period, actor
order by period, actor
""".strip()

# name -> Datasette canned-query metadata (SQL folded away: "show" reveals it)
CANNED_QUERIES = {
    "deaths_by_actor": {
        "title": "Reported deaths per month by actor",
        "description": "Incidents grouped into events (incident_events): per month of the "
                       "event and actor held responsible, the deaths reported (each event "
                       "once, with the highest toll any report gave) and the events.  An "
                       "event naming two actors counts for each; one naming none is "
                       "\"(not stated)\".  date_start/date_end: YYYY-MM-DD or empty.  "
                       "Chart: /-/dashboards/incidents.",
        "sql": DEATHS_BY_ACTOR,
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
        "title": "Stories across outlets",
        "description": "One row per story told by more than one article (near-duplicates, "
                       "articles.duplicate_of): its outlets, first and last publication, and "
                       "a link to each copy.",
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
    "dropped_pages": {
        "title": "Dropped pages by reason",
        "description": "Pages the crawler fetched or refused but did not archive, counted "
                       "by reason over every crawl run (crawl_runs.reasons).",
        "sql": DROPPED_REASONS,
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

# --- Charts (datasette-dashboards, the "archive" dashboard) ------------------------------
# Every chart counts the articles that pass the dashboard's filters (an empty parameter is
# no filter): :date_start, :date_end (YYYY-MM-DD, inclusive), :source, :event.  Periods are
# weeks (starting Monday) when the range spans 92 days or less, else calendar months; every
# period of the range has a row, zero when it has no article.  ``period_end`` is where the
# next period starts, so bars and cells span their whole period on a time axis.
_CALENDAR = """
with recursive filtered as (
  select id, source, events, places, substr(published, 1, 10) as day
  from articles
  where published >= '1900'
    and (:date_start = '' or published >= :date_start)
    and (:date_end = '' or published < date(:date_end, '+1 day'))
    and (:source = '' or source = :source)
    and (:event = '' or exists (
      select 1 from json_each(case when json_valid(events) then events else '[]' end)
      where value = :event))
),
bounds as (
  select coalesce(nullif(:date_start, ''), min(day)) as lo,
         coalesce(nullif(:date_end, ''), max(day)) as hi
  from filtered
),
grain as (
  select lo, hi, julianday(hi) - julianday(lo) <= 92 as weekly
  from bounds where date(lo) is not null and date(hi) is not null
),
periods(start, stop) as (
  select p0, case when weekly then date(p0, '+7 days') else date(p0, '+1 month') end
  from (select weekly, case when weekly then date(lo, 'weekday 0', '-6 days')
                            else date(lo, 'start of month') end as p0 from grain)
  union all
  select stop, case when (select weekly from grain) then date(stop, '+7 days')
                    else date(stop, '+1 month') end
  from periods where stop <= (select hi from grain)
),
dated as (
  select filtered.*,
         case when (select weekly from grain) then date(day, 'weekday 0', '-6 days')
              else date(day, 'start of month') end as period
  from filtered
)
""".strip()

ARTICLES_PER_PERIOD = _CALENDAR + """
select periods.start as period, periods.stop as period_end,
       (select count(*) from dated where dated.period = periods.start) as articles
from periods
order by periods.start
"""

ARTICLES_BY_SOURCE = _CALENDAR + """,
counts as (select period, source, count(*) as n from dated group by period, source),
sources as (select distinct source from dated)
select periods.start as period, periods.stop as period_end, sources.source,
       coalesce(counts.n, 0) as articles
from periods cross join sources
left join counts on counts.period = periods.start and counts.source = sources.source
order by periods.start, sources.source
"""

EVENTS_BY_PERIOD = _CALENDAR + """,
tagged as (
  select dated.period, event.value as event
  from dated, json_each(case when json_valid(dated.events) then dated.events else '[]' end)
       as event
),
counts as (select period, event, count(*) as n from tagged group by period, event),
kinds as (select distinct event from tagged)
select periods.start as period, periods.stop as period_end, kinds.event,
       coalesce(counts.n, 0) as articles
from periods cross join kinds
left join counts on counts.period = periods.start and counts.event = kinds.event
order by periods.start, kinds.event
"""

# the 12 places with the most articles in the range, by period
PLACES_BY_PERIOD = _CALENDAR + """,
placed as (
  select dated.period, place.value as place
  from dated, json_each(case when json_valid(dated.places) then dated.places else '[]' end)
       as place
),
top as (select place, count(*) as total from placed group by place
        order by total desc, place limit 12),
counts as (select period, place, count(*) as n from placed group by period, place)
select periods.start as period, periods.stop as period_end, top.place, top.total,
       coalesce(counts.n, 0) as articles
from periods cross join top
left join counts on counts.period = periods.start and counts.place = top.place
order by periods.start, top.total desc
"""

CHART_SOURCES = MAP_SOURCES
CHART_EVENTS = MAP_EVENTS
