"""The text side of de-duplication: fingerprints and the verification of candidates.

The archive finds copies of a story by three questions, cheapest first
(``archive/filing.py`` asks them when it files an article): same canonical URL; same
normalised text under another URL (:func:`content_hash`); nearly the same text -- MinHash
over word 3-shingles (:func:`fingerprint`), split into LSH bands whose keys the archive
keeps, so a look-up is one indexed query however large the archive is.  Band collisions
are only *candidates*: :func:`compare` verifies each on the real texts (shingle
containment, and no number or name swapped for another) so template look-alikes -- daily
casualty reports with other numbers and places, weekly round-ups, live-blog entries --
stay apart.

Pure: strings in, plain data out.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from . import bylines
from .arabic import normalize_arabic
from .dates import english_calendar_names
from .numbers import digits_for_words, number_spans
from .tag import load_gazetteer

logger = logging.getLogger(__name__)

# --- parameters (changing NUM_PERM / SEED / BANDS / ROWS / SHINGLE invalidates the stored
# index: add a migration that rebuilds it) ----------------------------------------------
SHINGLE = 3  # words per shingle
NUM_PERM = 128
SEED = 1
ROWS = 3  # signature rows per LSH band
BANDS = 42  # 42 x 3 = 126 of the 128 permutations; candidate at Jaccard 0.5: 99.6 %
MAX_CANDIDATES = 20  # verified per lookup, best band overlap first
# verification
MIN_CONTAINMENT = 0.75  # shared shingles / shingles of the smaller text
MIN_OVERLAP = 0.35  # shared shingles / shingles of the larger text (teasers are not copies)
SHORT_SPAN = 8  # a replaced run of at most this many words is a "value" edit



def _affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations ``h -> a * h + b (mod 2**32)`` of datasketch's MinHash with
    ``scheme="affine32"`` (its default since 2.0): odd ``a``, any ``b``, drawn in this order
    from ``RandomState(seed)``.  Drawn here rather than by importing datasketch, whose import
    (scipy with it) cost 1.4 s of CPU at every start of the crawl and of each pool;
    ``tests/pipelines/test_fingerprint_stable.py`` checks them against datasketch itself."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_PERMUTATIONS = _affine32_permutations(NUM_PERM, SEED)  # read-only

WORD_RE = re.compile(r"[^\W_]+(?:[.,:'’][^\W_]+)*", re.UNICODE)
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
NOT_NAMES = english_calendar_names()  # capitalised, but never a name
# Wire datelines at the start of a copy ("IDLIB, Syria (Agency) —", "BEIRUT (Reuters) -",
# "دمشق (سانا) -"): the one dateline rule, in pipelines/bylines.py
DATELINE_RE = bylines.DATELINE_RE
# the gazetteer's kinds whose spellings are not folded: areas named after a place ("Idleb
# province" is folded as "Idlib" and "province")
AREA_KINDS = {"governorate", "district", "subdistrict"}


# --- pure helpers -------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    """The words of the normalised text (see ``normalize_text``)."""
    text = normalize_arabic(unicodedata.normalize("NFKC", text or ""))
    return WORD_RE.findall(text.casefold())


def normalize_text(text: str) -> str:
    """Text reduced to what identifies an article: NFKC, Arabic spelling variants folded,
    case folded, punctuation dropped, words separated by single spaces."""
    return " ".join(_words(text))


def content_hash(text: str) -> str:
    """Hash of the normalised text (exact duplicates share it)."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def strip_dateline(text: str) -> str:
    """Drop wire datelines ("IDLIB, Syria (Agency) —") from the start of the text and of its
    paragraphs (another outlet may put an editor's note above the wire copy)."""
    return bylines.strip_datelines(text)


# --- one spelling for a place and for a number --------------------------------------------

@lru_cache(maxsize=1)
def _spellings() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """The gazetteer's variant spellings of each place, as words the way ``_words`` makes
    them (lower case, Arabic folded) -> the place's one spelling (its canonical name, or its
    Arabic name for an Arabic spelling), in its own case: by first word, longest first.  A
    spelling two places share is left as it is (never folded into either)."""
    target: dict[tuple[str, ...], set] = {}
    for row in load_gazetteer():
        if row["kind"] in AREA_KINDS:
            continue
        for variant in row["variants"]:
            if variant.startswith(("~", "!")):
                continue  # also a common word ("~الباب"), or a spelling left out
            arabic = any("\u0600" <= ch <= "\u06ff" for ch in variant)
            canonical = row["name_ar"] if arabic else row["name"]
            key = tuple(_words(variant))
            if not key or (len(key) == 1 and len(key[0]) <= 3):
                continue
            one = tuple(WORD_RE.findall(normalize_arabic(
                unicodedata.normalize("NFKC", canonical))))
            if key != tuple(w.casefold() for w in one):
                target.setdefault(key, set()).add(one)
    index: dict[str, list] = {}
    for key, ones in target.items():
        if len(ones) == 1:
            index.setdefault(key[0], []).append((key, next(iter(ones))))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def _place_spans(keys: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Where ``keys`` (lower case, Arabic folded words) spell a place another way:
    ``(first, end, the place's one spelling)``."""
    index = _spellings()
    out = []
    i, n = 0, len(keys)
    while i < n:
        for key, one in index.get(keys[i], ()):
            if tuple(keys[i:i + len(key)]) == key:
                out.append((i, i + len(key), one))
                i += len(key)
                break
        else:
            i += 1
    return out


def fold_spellings(words: list[str]) -> list[str]:
    """``words`` (as ``_words`` makes them) with places in one spelling ("idleb" ->
    "idlib", "deir al zour" -> "deir ez zor") and numbers in digits ("fourteen" -> "14",
    "اربعه عشر" -> "14"): what two copies of one story spelt differently share."""
    out: list[str] = []
    pos = 0
    for start, end, one in _place_spans(words):
        out += words[pos:start]
        out += [w.casefold() for w in one]
        pos = end
    out += words[pos:]
    return digits_for_words(out)


def _k_grams(words, sep, k: int = SHINGLE) -> set:
    """The k-word shingles of a list of words (str or bytes, joined by ``sep``)."""
    if len(words) < k:
        return {sep.join(words)} if words else set()
    return set(map(sep.join, zip(*(words[i:] for i in range(k)))))


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Word k-shingles of the normalised text (without a wire dateline), places in one
    spelling and numbers in digits (:func:`fold_spellings`)."""
    return _k_grams(fold_spellings(_words(strip_dateline(text))), " ", k)


# The archive's originals come up as candidates again and again (each copy of a story is
# checked against it) and a new text against each of its candidates: the last few texts'
# shingles and diff tokens are kept (by value, read-only) for compare() and value_swaps().
TEXTS_KEPT = 32


@lru_cache(maxsize=TEXTS_KEPT)
def _kept_shingles(text: str) -> frozenset[str]:
    return frozenset(shingles(text))


# MurmurHash3's 32-bit finalizer, which datasketch's "affine32" scheme applies to each
# 32-bit SHA-1 value before its permutations h -> a * h + b (mod 2**32)
_FMIX32 = tuple(np.uint32(c) for c in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))
_EMPTY_SIGNATURE = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def _minhash(encoded) -> np.ndarray:
    """What ``MinHash(...).update_batch(encoded).hashvalues`` is, computed in one go: SHA-1 of
    each value (its first 4 bytes, little-endian: datasketch's ``sha1_hash32``), the
    finalizer, then every permutation of every value at once and the column minimum (the
    minimum does not depend on the order of the values)."""
    digests = b"".join([hashlib.sha1(value).digest() for value in encoded])
    if not digests:
        return _EMPTY_SIGNATURE.copy()
    hv = np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)  # 5 words per digest
    s1, m1, s2, m2, s3 = _FMIX32
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    a, b = _PERMUTATIONS
    return (hv[:, None] * a + b).min(axis=0)


def signature(shingle_set: set[str]) -> np.ndarray:
    """MinHash signature (NUM_PERM unsigned 32-bit values) of a shingle set."""
    return _minhash([s.encode("utf-8") for s in shingle_set])


_BAND_SALTS = [band.to_bytes(2, "little") for band in range(BANDS)]


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (band number folded into the key)."""
    raw = np.asarray(sig, dtype="<u4").tobytes()
    size = 4 * ROWS
    return [int.from_bytes(hashlib.blake2b(raw[band * size:(band + 1) * size], digest_size=8,
                                           salt=salt).digest(), "little", signed=True)
            for band, salt in enumerate(_BAND_SALTS)]


def fingerprint(text: str) -> dict:
    """Everything the archive needs to find this text again: plain, picklable data.

    The text is normalised once, piece by piece around its wire datelines, which count for
    the content hash but not for the shingles.  The content hash is of the words as written
    (exact copies); the shingles are of the words with places in one spelling and numbers in
    digits (:func:`fold_spellings`), so that copies spelt differently still meet.  (Pieces give the words of the whole: a
    dateline starts a line and ends in a space or tab, and no word, NFKC composition or
    Arabic folding reaches across those.)  ``words`` counts the normalised words: 0 means
    there is nothing to look up."""
    text = text or ""
    words: list[str] = []
    kept: list[str] = []  # the words outside datelines
    pos = 0
    for m in DATELINE_RE.finditer(text):
        before = _words(text[pos:m.start()])
        words += before
        kept += before
        words += _words(m.group())
        pos = m.end()
    rest = _words(text[pos:])
    words += rest
    kept += rest
    encoded = " ".join(words).encode("utf-8")
    encoded_kept = " ".join(fold_spellings(kept)).encode("utf-8")
    # (UTF-8 has no space byte inside a word: splitting the bytes gives the words back)
    shingle_set = _k_grams(encoded_kept.split(), b" ")
    sig = _minhash(shingle_set)
    return {
        "content_hash": hashlib.sha256(encoded).hexdigest(),
        "signature": sig.tobytes(),
        # no words, nothing to file: empty texts must not all collide in one band
        "bands": band_keys(sig) if shingle_set else [],
        "words": len(words),
    }


def estimated_jaccard(sig_a: bytes, sig_b: bytes) -> float:
    a = np.frombuffer(sig_a, dtype="<u4")
    b = np.frombuffer(sig_b, dtype="<u4")
    if len(a) != len(b) or not len(a):
        return 0.0
    return float(np.count_nonzero(a == b)) / len(a)


def _diff_tokens(text: str) -> list[tuple[str, bool]]:
    """Tokens for the value check: (token, starts a sentence), case kept for names, places
    in one spelling (a place's words count as a name wherever they stand) and numbers in
    digits (:func:`fold_spellings`)."""
    text = normalize_arabic(unicodedata.normalize("NFKC", strip_dateline(text)))
    raw: list[tuple[str, bool]] = []
    for m in WORD_RE.finditer(text):
        before = text[:m.start()].rstrip()
        raw.append((m.group(), not before or before[-1] in ".!?:;—–-\n\"“'‘"))
    keys = [tok.casefold() for tok, _ in raw]
    placed: list[tuple[str, bool]] = []
    placed_keys: list[str] = []
    pos = 0
    for start, end, one in _place_spans(keys):
        placed += raw[pos:start]
        placed_keys += keys[pos:start]
        placed += [(w, False) for w in one]
        placed_keys += [w.casefold() for w in one]
        pos = end
    placed += raw[pos:]
    placed_keys += keys[pos:]
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end, digits in number_spans(placed_keys):
        out += placed[pos:start]
        out.append((digits, placed[start][1]))
        pos = end
    return out + placed[pos:]


@lru_cache(maxsize=TEXTS_KEPT)
def _kept_diff_tokens(text: str) -> tuple[tuple[str, bool], ...]:
    return tuple(_diff_tokens(text))


def _values(tokens: list[tuple[str, bool]]) -> tuple[set, set]:
    """Numbers and names (capitalised words not starting a sentence) in a run of tokens."""
    nums, names = set(), set()
    for tok, sentence_start in tokens:
        if tok[:1].isdigit():
            nums.add(tok.replace(",", ""))
        elif tok[:1].isupper() and not sentence_start and tok.casefold() not in NOT_NAMES:
            names.add(tok.casefold())
    return nums, names


def _acronym(names_a: set, names_b: set) -> bool:
    """"UN" for "United Nations": the same name, not another one."""
    for short, long_ in ((names_a, names_b), (names_b, names_a)):
        if len(short) == 1 and len(long_) > 1:
            initials = "".join(sorted(w[0] for w in long_))
            if sorted(next(iter(short))) == sorted(initials):
                return True
    return False


def value_swaps(text_a: str, text_b: str) -> list[tuple[str, str]]:
    """Where one text has a number or a name and the other a different one: what tells two
    reports written on one template apart.

    Two signals: (1) numbers in the unmatched parts of both texts, none in common (times
    of two live-blog entries, figures of two reports); (2) short replaced runs, set in
    matching context, holding different numbers or names.  Runs not flanked by matching
    text (a trimmed last paragraph next to another outlet's footer) are not swaps.
    """
    tok_a, tok_b = _kept_diff_tokens(text_a), _kept_diff_tokens(text_b)
    low_a = [t.casefold() for t, _ in tok_a]
    low_b = [t.casefold() for t, _ in tok_b]
    ops = SequenceMatcher(None, low_a, low_b, autojunk=False).get_opcodes()

    def flank(k: int) -> bool:
        if k < 0:
            return True  # start of text (datelines are already stripped)
        if k >= len(ops):
            return False
        op, i1, i2, _, _ = ops[k]
        return op == "equal" and i2 - i1 >= 2

    swaps = []
    # numbers only one side has, anywhere (a live-blog entry's times, a report's figures)
    only_a, only_b = set(), set()
    for op, i1, i2, j1, j2 in ops:
        if op != "equal":  # years left out: a footer's "© 2026" says nothing
            only_a |= {n for n in _values(tok_a[i1:i2])[0] if not YEAR_RE.match(n)}
            only_b |= {n for n in _values(tok_b[j1:j2])[0] if not YEAR_RE.match(n)}
    if only_a and only_b and not (only_a & only_b):
        swaps.append((" ".join(sorted(only_a)), " ".join(sorted(only_b))))
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op != "replace" or max(i2 - i1, j2 - j1) > SHORT_SPAN:
            continue
        if not (flank(k - 1) and flank(k + 1)):
            continue
        nums_a, names_a = _values(tok_a[i1:i2])
        nums_b, names_b = _values(tok_b[j1:j2])
        if (nums_a and nums_b and nums_a != nums_b) or (
                names_a and names_b and names_a != names_b
                and not _acronym(names_a, names_b)):
            swaps.append((" ".join(t for t, _ in tok_a[i1:i2]),
                          " ".join(t for t, _ in tok_b[j1:j2])))
        # Arabic has no capitals: a one-word swap right after "in", "near", "from"...
        # is taken as a place swapped for another.
        elif (i2 - i1 == 1 and j2 - j1 == 1 and _arabic(low_a[i1]) and _arabic(low_b[j1])
              and _prev_is_preposition(low_a, i1) and _prev_is_preposition(low_b, j1)):
            swaps.append((tok_a[i1][0], tok_b[j1][0]))
    return swaps


def _arabic(tok: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in tok)


# "in", "near", "from", "to": a word swapped right after these is a place
_AR_PLACE_PREPS = frozenset({"في", "قرب", "من", "الى", "بريف", "ريف", "مدينه", "بلده", "قريه",
                             "محافظه", "شمال", "جنوب", "شرق", "غرب"})


def _prev_is_preposition(tokens: list[str], i: int) -> bool:
    return i > 0 and tokens[i - 1] in _AR_PLACE_PREPS


def compare(text_a: str, text_b: str, shingles_a: set | None = None) -> dict:
    """Verify a near-duplicate candidate on the texts themselves.

    Returns ``{"duplicate": bool, "containment", "overlap", "reason"}``: duplicates share
    most shingles of the smaller text, a fair part of the larger one, and swap no number or
    name for another.
    """
    sa = shingles_a if shingles_a is not None else _kept_shingles(text_a)
    sb = _kept_shingles(text_b)
    if not sa or not sb:
        return {"duplicate": False, "containment": 0.0, "overlap": 0.0, "reason": "empty"}
    shared = len(sa & sb)
    containment = shared / min(len(sa), len(sb))
    overlap = shared / max(len(sa), len(sb))
    result = {"duplicate": False, "containment": round(containment, 3),
              "overlap": round(overlap, 3), "reason": ""}
    if containment < MIN_CONTAINMENT:
        result["reason"] = "low-containment"
    elif overlap < MIN_OVERLAP:
        result["reason"] = "low-overlap"
    else:
        swaps = value_swaps(text_a, text_b)
        if swaps:
            result["reason"] = "values-differ: " + "; ".join(f"{a} / {b}" for a, b in swaps[:3])
        else:
            result["duplicate"] = True
            result["reason"] = "near-duplicate"
    return result
