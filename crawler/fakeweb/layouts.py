"""HTML templates of news outlets: one small set per layout (wordpress, drupal, plain, AMP).

Pure functions: (outlet, record, base URL, links) in, an HTML string out.  The markup imitates
real publishing systems, boilerplate included, so the crawler meets what it meets outside.
"""

from __future__ import annotations

import json
from datetime import datetime

from .markup import e, human_date

IMG = "/media/photo.svg"

CSS = {
    "wordpress": """body{margin:0;font:17px/1.6 Georgia,serif;color:#222;background:#f4f1ea}
.site-header{background:#7a1f1f;color:#fff;padding:10px 24px}.site-header a{color:#fff;text-decoration:none}
.site-title{font:700 28px sans-serif;margin:0}.menu{list-style:none;padding:0;margin:6px 0;display:flex;gap:18px;font:14px sans-serif}
.site-content{display:flex;gap:32px;max-width:1100px;margin:0 auto;padding:24px}.site-main{flex:3;background:#fff;padding:24px}
.widget-area{flex:1;font:14px sans-serif}.entry-title{font:700 32px/1.2 sans-serif}.entry-meta,.cat-links{font:13px sans-serif;color:#777}
figure{margin:0}figcaption{font:13px sans-serif;color:#666}.sharedaddy,.short-link,.comment-respond{font:14px sans-serif;border-top:1px solid #ddd;margin-top:20px;padding-top:10px}
.sharedaddy ul{list-style:none;display:flex;gap:10px;padding:0}#cookie-notice{position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee;padding:10px;font:13px sans-serif}
.site-footer{background:#222;color:#aaa;padding:20px;text-align:center;font:13px sans-serif}img{max-width:100%}""",
    "drupal": """body{margin:0;font:16px/1.6 Helvetica,Arial,sans-serif;color:#1b2a38}
header[role=banner]{background:#0d3b66;padding:14px 30px}header a{color:#fff;text-decoration:none}.site-name{font-size:26px;font-weight:700}
.region-primary-menu ul{list-style:none;display:flex;gap:20px;padding:0;margin:8px 0 0}
main{display:grid;grid-template-columns:3fr 1fr;gap:30px;max-width:1150px;margin:0 auto;padding:24px}
.page-title{font-size:34px;line-height:1.2}.node__meta,.field--name-field-caption,.field--name-field-read-time{font-size:13px;color:#667}
.region-sidebar .block{background:#eef3f8;padding:12px;margin-bottom:16px}.social-share,.comment-section{border-top:2px solid #0d3b66;margin-top:24px;padding-top:10px;font-size:14px}
.pager__items{list-style:none;display:flex;gap:12px;padding:0}.eu-cookie-compliance-banner{background:#0d3b66;color:#fff;padding:8px 30px;font-size:13px}
.site-footer{background:#1b2a38;color:#ccd;padding:24px;text-align:center;font-size:13px}img{max-width:100%}""",
    "plain": """body{max-width:760px;margin:20px auto;font:16px/1.55 'Times New Roman',serif;padding:0 12px}
#top{border-bottom:3px double #000;padding-bottom:6px}#top a{color:#000}.masthead{font:700 34px 'Times New Roman',serif;text-align:center}
.date,.caption,.share,.shortlink{font-size:13px;color:#555}#cookies{background:#ffd;border:1px solid #cc9;padding:6px;font-size:13px}
.newsletter{border:1px solid #999;padding:8px;margin:16px 0}.footer{font-size:12px;color:#666;text-align:center}img{max-width:100%}""",
}


def _head(outlet, title, base, *, canonical=None, extra=""):
    css = CSS[outlet["layout"]]
    canon = f'<link rel="canonical" href="{e(canonical)}">\n' if canonical else ""
    return (f'<!DOCTYPE html>\n<html lang="{e(outlet["language"])}" dir="{e(outlet["dir"])}">\n'
            f'<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{e(title)}</title>\n{canon}{extra}<style>{css}</style>\n</head>\n')


def _teasers(links, cls="related-list"):
    items = "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in links)
    return f'<ul class="{cls}">{items}</ul>'


# ------------------------------------------------------------------------------ WordPress
def _wp_header(outlet, base):
    s = outlet["strings"]
    menu = "".join(f'<li class="menu-item"><a href="{base}/category/{k}/">{e(v)}</a></li>'
                   for k, v in outlet["sections"].items())
    return (f'<body class="wp-theme">\n<div id="cookie-notice" role="dialog">{e(s["cookie"])} '
            f'<button>{e(s["cookie_button"])}</button></div>\n'
            f'<header id="masthead" class="site-header"><p class="site-title"><a href="{base}/" rel="home">'
            f'{e(outlet["title"])}</a></p><p class="site-description">{e(outlet["tagline"])}</p>\n'
            f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{menu}'
            f'</ul></nav>\n<form role="search" class="search-form" action="{base}/"><input type="search" name="s" '
            f'placeholder="{e(s["search"])}"></form></header>\n'
            '<div id="content" class="site-content">\n<main id="main" class="site-main">\n')


def _wp_footer(outlet, base, sidebar_extra=""):
    s = outlet["strings"]
    return (f'</main>\n<aside id="secondary" class="widget-area">{sidebar_extra}'
            f'<section class="widget widget_newsletter"><h2 class="widget-title">{e(s["newsletter_title"])}</h2>'
            f'<p>{e(s["newsletter"])}</p><form><input type="email" name="email"><button>{e(s["subscribe"])}'
            f'</button></form></section></aside>\n</div>\n<footer id="colophon" class="site-footer">'
            f'<nav class="footer-navigation"><a href="{base}/">{e(outlet["title"])}</a></nav>'
            f'<div class="site-info">{e(s["copyright"])}</div></footer>\n</body>\n</html>\n')


def wordpress_article(outlet, art, base, related, post_id):
    s = outlet["strings"]
    url = base + art["path"]
    meta = (f'<meta property="og:type" content="article">\n<meta property="og:title" content="{e(art["title"])}">\n'
            f'<meta property="article:published_time" content="{e(art["published"])}">\n'
            f'<meta property="article:section" content="{e(outlet["sections"][art["section"]])}">\n'
            f'<link rel="alternate" type="application/rss+xml" href="{base}/feed/">\n'
            f'<link rel="shortlink" href="{base}/?p={post_id}">\n')
    if art["amp"]:
        meta += f'<link rel="amphtml" href="{e(url)}amp/">\n'
    authors = ("، " if outlet["language"] == "ar" else ", ").join(
        f'<span class="author vcard"><a class="url fn n" href="{base}/author/{e(a.lower().replace(" ", "-"))}/">'
        f'{e(a)}</a></span>' for a in art["authors"])
    body = []
    for i, para in enumerate(art["paragraphs"]):
        body.append(f"<p>{e(para)}</p>")
        if i == 1 and related:
            t, u = related[0]
            body.append(f'<p><strong>{e(s["read_more"])} <a href="{e(u)}">{e(t)}</a></strong></p>')
    share_url = e(url)
    shares = (f'<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
              f'<h3 class="sd-title">{e(s["share"])}</h3><div class="sd-content"><ul>'
              f'<li><a class="share-twitter sd-button" href="https://twitter.com/intent/tweet?url={share_url}&amp;text={e(art["title"])}">Twitter</a></li>'
              f'<li><a class="share-facebook sd-button" href="https://www.facebook.com/sharer.php?u={share_url}">Facebook</a></li>'
              f'<li><a class="share-whatsapp sd-button" href="whatsapp://send?text={e(art["title"])}">WhatsApp</a></li>'
              f'</ul><p class="share-title">{e(art["title"])}</p></div></div></div>\n'
              f'<p class="follow-us">{e(s["follow"])}</p>\n'
              f'<div class="short-link">{e(s["short_link"])} <input readonly value="{base}/?p={post_id}"></div>\n')
    caption = ""
    if art.get("caption"):
        caption = (f'<figure class="wp-block-image size-large"><img src="{base}{IMG}" alt="">'
                   f'<figcaption class="wp-element-caption">{e(art["caption"])}</figcaption></figure>\n')
    tags = "".join(f'<a href="{base}/tag/{e(t)}/" rel="tag">{e(t.replace("-", " "))}</a> ' for t in art["tags"])
    rel = f'<div class="jp-relatedposts"><h3 class="jp-relatedposts-headline">{e(s["related"])}</h3>{_teasers(related)}</div>\n'
    comments = (f'<div id="comments" class="comments-area"><p><a href="#respond">{e(s["leave_comment"])}</a></p>'
                f'<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{e(s["reply"])}</h3>'
                f'<form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
                f'<p class="comment-notes">{e(s["comment_notes"])}</p><p><textarea name="comment" rows="6"></textarea></p>'
                f'<p><input name="author" placeholder="Name *"> <input name="email" placeholder="Email *"></p>'
                f'<p class="mcaptcha">{e(s["captcha"])} <input name="mc-value" size="2"></p>'
                f'<p class="form-submit"><input type="submit" value="{e(s["post_comment"])}"></p></form></div></div>\n')
    cat = outlet["sections"][art["section"]]
    return (_head(outlet, f'{art["title"]} – {outlet["title"]}', base, canonical=url, extra=meta)
            + _wp_header(outlet, base)
            + f'<article id="post-{post_id}" class="post-{post_id} post type-post status-publish format-standard has-post-thumbnail">\n'
            f'<header class="entry-header"><span class="cat-links"><a href="{base}/category/{art["section"]}/" rel="category tag">{e(cat)}</a></span>\n'
            f'<h1 class="entry-title">{e(art["title"])}</h1>\n<div class="entry-meta"><span class="byline">{e(s["by"])} {authors}</span> '
            f'<span class="posted-on">{e(human_date(art["published"], outlet["language"]))}</span> '
            f'<span class="reading-time">{e(s["read_time"])}</span></div></header>\n'
            + caption
            + '<div class="entry-content">\n' + "\n".join(body) + "\n" + shares + "</div>\n"
            + f'<footer class="entry-footer"><span class="tags-links">{e(s["tags"])} {tags}</span></footer>\n</article>\n'
            + rel + comments + _wp_footer(outlet, base))


def wordpress_listing(outlet, base, title, items, *, canonical, next_url=None, sidebar_links=(), tag_links=()):
    """Category / front / tag page: teasers (title, url, date, summary)."""
    s = outlet["strings"]
    posts = "".join(
        f'<article class="post type-post"><header class="entry-header"><h2 class="entry-title">'
        f'<a href="{e(u)}" rel="bookmark">{e(t)}</a></h2><div class="entry-meta">{e(human_date(d, outlet["language"]))}'
        f'</div></header><div class="entry-summary"><p>{e(summ)}</p></div></article>\n'
        for t, u, d, summ in items)
    if not items:
        posts = f'<section class="no-results not-found"><p>{e(s["nothing_found"])}</p></section>\n'
    nav = (f'<nav class="navigation posts-navigation"><div class="nav-previous"><a href="{e(next_url)}">'
           f'{e(s["older"])}</a></div></nav>\n' if next_url else "")
    side = ""
    if sidebar_links:
        side += f'<section class="widget widget_top_posts"><h2 class="widget-title">Top stories</h2>{_teasers(sidebar_links)}</section>'
    if tag_links:
        side += f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2>{_teasers(tag_links)}</section>'
    return (_head(outlet, f'{title} – {outlet["title"]}', base, canonical=canonical)
            + _wp_header(outlet, base) + f'<header class="page-header"><h1 class="page-title">{e(title)}</h1></header>\n'
            + posts + nav + _wp_footer(outlet, base, side))


def liveblog(outlet, base, page):
    """A live-blog shell: a title and one-line timestamped entries, no body."""
    url = base + page["path"]
    entries = "".join(f'<li class="live-entry" id="e{i}"><time>{e(t)}</time> <a href="{base}{e(link)}">{e(text)}</a></li>\n'
                      for i, (t, text, link) in enumerate(page["entries"], 1))
    return (_head(outlet, f'{page["title"]} – {outlet["title"]}', base, canonical=url)
            + _wp_header(outlet, base) + f'<article class="liveblog"><h1 class="entry-title">{e(page["title"])}</h1>\n'
            f'<ul class="live-entries">\n{entries}</ul></article>\n' + _wp_footer(outlet, base))


# ------------------------------------------------------------------------------- Drupal
def _dr_header(outlet, base):
    s = outlet["strings"]
    menu = "".join(f'<li class="menu-item"><a href="{base}/news/{k}/">{e(v)}</a></li>' for k, v in outlet["sections"].items())
    return (f'<body class="path-node page-node-type-article">\n<div class="dialog-off-canvas-main-canvas">\n'
            f'<div id="sliding-popup" class="eu-cookie-compliance-banner">{e(s["cookie"])} <button>{e(s["cookie_button"])}</button></div>\n'
            f'<header role="banner"><div class="region region-header"><a class="site-name" href="{base}/" rel="home">{e(outlet["title"])}</a></div>'
            f'<div class="region region-primary-menu"><nav role="navigation"><ul class="menu">{menu}'
            f'<li class="menu-item"><a href="{base}/contact/">Contact</a></li></ul></nav></div></header>\n<main role="main">\n'
            f'<div class="layout-content"><div class="region region-content">\n')


def _dr_footer(outlet, base, most_read):
    s = outlet["strings"]
    return (f'</div></div>\n<aside class="layout-sidebar-second" role="complementary"><div class="region region-sidebar">'
            f'<div class="block block-views block-views-blockmost-read"><h2>{e(s["most_read"])}</h2><div class="view-content">{_teasers(most_read)}</div></div>'
            f'<div class="block block-newsletter"><h2>{e(s["newsletter_title"])}</h2><p>{e(s["newsletter"])}</p>'
            f'<form><input type="email"><button>{e(s["subscribe"])}</button></form></div></div></aside>\n</main>\n'
            f'<footer class="site-footer" role="contentinfo"><div class="region region-footer"><p>{e(s["copyright"])}</p>'
            f'<p><a href="{base}/contact/">Contact</a></p></div></footer>\n</div>\n</body>\n</html>\n')


def drupal_article(outlet, art, base, related, node_id):
    s = outlet["strings"]
    url = base + art["path"]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
          "datePublished": art["published"], "dateModified": art.get("modified", art["published"]),
          "author": [{"@type": "Person", "name": a} for a in art["authors"]],
          "publisher": {"@type": "Organization", "name": outlet["title"]},
          "mainEntityOfPage": url, "inLanguage": art["language"]}
    extra = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n'
    when = datetime.fromisoformat(art["published"])
    authors = ", ".join(f'<a href="{base}/author/{e(a.lower().replace(" ", "-"))}/">{e(a)}</a>' for a in art["authors"])
    paras = list(art["paragraphs"])
    body = []
    for i, para in enumerate(paras):
        text = e(para)
        if i == 0 and art.get("dateline"):
            text = f'<strong>{e(art["dateline"])}</strong> {text}'
        body.append(f"<p>{text}</p>")
        if i == 2 and related:
            body.append(f'<div class="related-inline"><strong>{e(s["related"])}</strong> <a href="{e(related[0][1])}">{e(related[0][0])}</a></div>')
    caption = ""
    if art.get("caption"):
        caption = (f'<div class="field field--name-field-image"><img src="{base}{IMG}" alt="">'
                   f'<div class="field field--name-field-caption">{e(art["caption"])}</div></div>\n')
    tags = "".join(f'<div class="field__item"><a href="{base}/tags/{e(t)}/">{e(t.replace("-", " "))}</a></div>' for t in art["tags"])
    return (_head(outlet, f'{art["title"]} | {outlet["title"]}', base, canonical=url, extra=extra)
            + _dr_header(outlet, base)
            + f'<article role="article" about="/node/{node_id}" class="node node--type-article node--promoted node--view-mode-full">\n'
            f'<h1 class="page-title"><span class="field field--name-title field--type-string">{e(art["title"])}</span></h1>\n'
            f'<div class="node__meta"><span class="field field--name-uid">{e(s["written_by"])} {authors}</span> | '
            f'<span class="field field--name-created">{when.strftime("%a, %m/%d/%Y - %H:%M")}</span></div>\n'
            f'<div class="node__content">\n{caption}<div class="field field--name-field-read-time">{e(s["read_time"])}</div>\n'
            f'<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">\n'
            + "\n".join(body) + "\n</div>\n"
            f'<div class="field field--name-field-tags field--type-entity-reference"><div class="field__label">{e(s["tags"])}</div>'
            f'<div class="field__items">{tags}</div></div>\n'
            f'<div class="social-share"><span class="share-label">{e(s["share"])}</span> <span class="share-headline">{e(art["title"])}</span> '
            f'<a href="https://www.facebook.com/sharer.php?u={e(url)}">Facebook</a> <a href="https://twitter.com/intent/tweet?url={e(url)}">X</a>'
            f'<p class="follow-us">{e(s["follow"])}</p></div>\n'
            f'<div class="block-related"><h2>{e(s["read_more"])}</h2>{_teasers(related[1:] or related)}</div>\n'
            f'<section class="comment-section"><h2 class="comments-title">{e(s["leave_comment"])}</h2><form class="comment-comment-form comment-form">'
            f'<div class="form-item"><label>Your name</label><input name="name"></div><div class="form-item"><label>Comment</label><textarea name="comment_body"></textarea></div>'
            f'<p class="description">{e(s["comment_notes"])}</p><div class="captcha"><span class="field-prefix">{e(s["captcha"])}</span> <input name="captcha_response" size="4"></div>'
            f'<input type="submit" value="{e(s["post_comment"])}"></form></section>\n'
            '</div>\n</article>\n' + _dr_footer(outlet, base, related))


def drupal_listing(outlet, base, title, items, *, canonical, pager=(), most_read=(), intro=""):
    """A views listing (``view-content`` rows) with a pager; ``pager`` = [(label, url, active)]."""
    s = outlet["strings"]
    rows = "".join(f'<div class="views-row"><article class="node node--view-mode-teaser"><h2><a href="{e(u)}">{e(t)}</a></h2>'
                   f'<div class="node__meta">{e(human_date(d))}</div><div class="field--name-body"><p>{e(summ)}</p></div></article></div>\n'
                   for t, u, d, summ in items)
    pages = "".join(f'<li class="pager__item{" is-active" if active else ""}"><a href="{e(u)}">{e(label)}</a></li>' for label, u, active in pager)
    pager_html = f'<nav class="pager" role="navigation"><ul class="pager__items js-pager__items">{pages}</ul></nav>\n' if pager else ""
    intro_html = f'<div class="views-header"><p>{e(intro)}</p></div>' if intro else ""
    return (_head(outlet, f'{title} | {outlet["title"]}', base, canonical=canonical) + _dr_header(outlet, base)
            + f'<h1 class="page-title">{e(title)}</h1>\n<div class="view view-frontpage view-id-frontpage">{intro_html}<div class="view-content">\n'
            + rows + "</div>\n" + pager_html + "</div>\n" + _dr_footer(outlet, base, most_read))


def drupal_simple(outlet, base, page, most_read=()):
    url = base + page["path"]
    return (_head(outlet, f'{page["title"]} | {outlet["title"]}', base, canonical=url) + _dr_header(outlet, base)
            + f'<h1 class="page-title">{e(page["title"])}</h1>\n<div class="node__content"><p>{e(page["text"])}</p></div>\n'
            + _dr_footer(outlet, base, most_read))


# -------------------------------------------------------------------------------- plain
def _plain_top(outlet, base):
    s = outlet["strings"]
    links = " | ".join(f'<a href="{base}/{k}/">{e(v)}</a>' for k, v in outlet["sections"].items())
    return (f'<body>\n<div id="cookies">{e(s["cookie"])} <a href="#">{e(s["cookie_button"])}</a></div>\n'
            f'<div id="top"><div class="masthead"><a href="{base}/">{e(outlet["title"])}</a></div>\n'
            f'<center><a href="{base}/">Home</a> | {links} | <a href="{base}/about/">About</a></center></div>\n')


def _plain_bottom(outlet, base):
    s = outlet["strings"]
    return (f'<div class="newsletter">{e(s["newsletter"])} <form><input name="email"> <input type="submit" value="Join"></form></div>\n'
            f'<hr>\n<p class="footer">{e(s["copyright"])} <a href="{base}/about/">About us</a></p>\n</body>\n</html>\n')


def plain_article(outlet, art, base, related, story_id):
    s = outlet["strings"]
    url = base + art["path"]
    extra = f'<meta name="description" content="{e(art["summary"])}">\n'
    body = "\n".join(f"<p>{e(p)}</p>" for p in art["paragraphs"])
    reporters = ", ".join(art["authors"])
    caption = ""
    if art.get("caption"):
        caption = f'<img src="{base}{IMG}" alt="" width="720">\n<p class="caption">{e(art["caption"])}</p>\n'
    readmore = "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in related)
    return (_head(outlet, f'{art["title"]} - {outlet["title"]}', base, canonical=url, extra=extra) + _plain_top(outlet, base)
            + f'<div id="story">\n<h1>{e(art["title"])}</h1>\n'
            f'<p class="date"><time datetime="{e(art["published"])}">{e(human_date(art["published"]))}</time> &middot; {e(s["read_time"])}</p>\n'
            + caption + body + f'\n<p><i>{e(s["reporting"])} {e(reporters)}</i></p>\n</div>\n'
            f'<div class="share">{e(s["share"])} <a href="https://twitter.com/intent/tweet?text={e(art["title"])}">Twitter</a> '
            f'<a href="https://www.facebook.com/sharer.php?u={e(url)}">Facebook</a> &mdash; {e(s["follow"])}</div>\n'
            f'<p class="shortlink">{e(s["short_link"])} {base}/s/{story_id}</p>\n'
            f'<h3>{e(s["read_more"])}</h3>\n<ul>{readmore}</ul>\n'
            f'<h3>{e(s["leave_comment"])}</h3><form><textarea name="c" rows="4" cols="60"></textarea><br>'
            f'{e(s["captcha"])} <input name="q" size="3"> <input type="submit" value="Send"></form>\n'
            + _plain_bottom(outlet, base))


def plain_listing(outlet, base, title, items, *, canonical, next_url=None, next_num=2, sections=()):
    s = outlet["strings"]
    rows = "".join(f'<h3><a href="{e(u)}">{e(t)}</a></h3>\n<p class="teaser"><small>{e(human_date(d))}</small> &mdash; {e(summ)}</p>\n'
                   for t, u, d, summ in items)
    sect = "".join(f'<li><a href="{e(u)}">{e(t)}</a></li>' for t, u in sections)
    more = f'<p class="pages">Next: <a href="{e(next_url)}">{e(s["page"])} {next_num}</a></p>\n' if next_url else ""
    side = f'<h3>Sections</h3><ul>{sect}</ul>\n' if sections else ""
    return (_head(outlet, f'{title} - {outlet["title"]}', base, canonical=canonical) + _plain_top(outlet, base)
            + f'<h1>{e(title)}</h1>\n<div class="stories">\n{rows}</div>\n{more}{side}' + _plain_bottom(outlet, base))


def plain_simple(outlet, base, page):
    url = base + page["path"]
    return (_head(outlet, f'{page["title"]} - {outlet["title"]}', base, canonical=url) + _plain_top(outlet, base)
            + f'<h1>{e(page["title"])}</h1>\n<p>{e(page["text"])}</p>\n' + _plain_bottom(outlet, base))


# ---------------------------------------------------------------------------------- AMP
def amp_article(outlet, art, base):
    """A simplified AMP copy served at ``<article-url>amp/``; rel=canonical points home."""
    url = base + art["path"]
    body = "\n".join(f"<p>{e(p)}</p>" for p in art["paragraphs"])
    s = outlet["strings"]
    return (f'<!doctype html>\n<html amp lang="{e(outlet["language"])}" dir="{e(outlet["dir"])}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{e(art["title"])}</title>\n<link rel="canonical" href="{e(url)}">\n'
            f'<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">\n'
            f'<meta property="article:published_time" content="{e(art["published"])}">\n'
            '<style amp-custom>body{font:17px/1.6 sans-serif;margin:0 16px}header{background:#7a1f1f;color:#fff;padding:8px}</style>\n'
            f'</head>\n<body>\n<header class="amp-wp-header"><a href="{base}/">{e(outlet["title"])}</a></header>\n'
            f'<article class="amp-wp-article"><h1 class="amp-wp-title">{e(art["title"])}</h1>\n'
            f'<div class="amp-wp-meta">{e(s["by"])} {e(", ".join(art["authors"]))} · {e(human_date(art["published"]))}</div>\n'
            f'<amp-img src="{base}{IMG}" width="720" height="405" layout="responsive"></amp-img>\n'
            f'<div class="amp-wp-article-content">\n{body}\n</div>\n'
            f'<div class="amp-share">{e(s["share"])} {e(s["follow"])}</div>\n</article>\n'
            f'<footer class="amp-wp-footer"><p>{e(s["copyright"])}</p></footer>\n</body>\n</html>\n')
