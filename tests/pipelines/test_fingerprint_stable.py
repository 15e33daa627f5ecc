"""The dedup fingerprint must not change unnoticed: archives store content hashes, MinHash
signatures and LSH band keys made by earlier versions, and look new texts up by them.

The reference below is the implementation these are made with, written out plainly
(datasketch's ``MinHash.update_batch`` over the sorted shingles, the text normalised once
for the hash and once more, without its wire datelines and with places in one spelling and
numbers in digits, for the shingles).  The content hash is as it was first made.  The
shingles changed once, on purpose (issue 16: spellings folded): migration
``m016_dedup_refold`` re-queues every archived article for re-indexing.  The fold and the
dateline rule are pinned by a digest here: if it changes, add a migration like m016 and
record the new digest.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import numpy as np
from datasketch import MinHash

from newsarchive.crawler.fakeweb.content import load_articles
from newsarchive.pipelines import dedup
from newsarchive.pipelines.arabic import _TABLE

PAIRS = sorted((Path(__file__).parent / "dedup_pairs" / "pairs").glob("*.toml"))
# sha256 of every text's folded shingle words (see test_the_fold_is_pinned)
FOLD_DIGEST = "875202104bd5b68d321864c1c996a2741908baae8fe69e62be30c48913ded919"


# --- the reference ------------------------------------------------------------------------

def old_normalize_text(text):
    text = unicodedata.normalize("NFKC", text or "").translate(_TABLE)
    return " ".join(dedup.WORD_RE.findall(text.casefold()))


def folded_words(text):
    return dedup.fold_spellings(old_normalize_text(dedup.DATELINE_RE.sub("", text or "")).split())


def old_shingles(text, k=3):
    words = folded_words(text)
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def old_signature(shingle_set):
    m = MinHash(num_perm=128, seed=1, scheme="affine32")
    if shingle_set:
        m.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return m.hashvalues.astype(np.uint32)


def old_band_keys(sig):
    sig = np.asarray(sig, dtype="<u4")
    keys = []
    for band in range(42):
        chunk = sig[band * 3:(band + 1) * 3].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, salt=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def old_fingerprint(text):
    shingle_set = old_shingles(text)
    sig = old_signature(shingle_set)
    return {
        "content_hash": hashlib.sha256(old_normalize_text(text).encode("utf-8")).hexdigest(),
        "signature": sig.tobytes(),
        "bands": old_band_keys(sig) if shingle_set else [],
    }


# --- texts --------------------------------------------------------------------------------

def _texts() -> list[str]:
    texts = []
    for path in PAIRS:  # English and Arabic, wire copies with datelines among them
        pair = tomllib.loads(path.read_text(encoding="utf-8"))
        texts += [pair["a"]["text"], pair["b"]["text"]]
    texts += [a["body"] for a in load_articles()]
    texts += [
        "", " ", "...", "one", "one two", "one two three", "Ünïcödé ﬁne straße İstanbul",
        "DAMASCUS (SANA) — ", "BEIRUT (Reuters) - one two",
        "Note.\n\nDAMASCUS, March 3 (AFP) – Text of the wire copy goes here.",
        "IDLIB, Syria (Agency) —\u00a0\u0301combining after the dateline",
        "IDLIB (Agency) — \u0301\u0651 marks\nALEPPO (AFP) -\tsecond dateline, tab after it",
        "دمشق (سانا) - قُتِلَ ٧ مدنيين في إدلب\n\nحلب - ٱلرقــة والحسكة ی ک ۱۴۰۳",
        "text_with_underscores and 1,000.5 numbers: 3:45 o’clock rock'n'roll",
    ]
    rnd = random.Random(8)
    alphabet = (list("abcdefgh  ..,:'’-—–\n\t()ABCDEF") + ["DAMASCUS (AFP) — ", "\nحلب - "]
                + [chr(c) for c in range(0x0610, 0x0700, 3)] + ["\u0301", "\u00a0", "ﬁ", "ß"])
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 80)))
              for _ in range(400)]
    return texts


TEXTS = _texts()


def test_the_texts_cover_english_arabic_and_datelines():
    assert len(TEXTS[-414:-400]) == 14 and TEXTS[-414] == ""  # what _pinned_texts takes
    assert sum(bool(dedup.DATELINE_RE.search(t)) for t in TEXTS) >= 50
    assert sum(any("\u0621" <= ch <= "\u064a" for ch in t) for t in TEXTS) >= 50
    assert len(TEXTS) >= 600


def test_fingerprint_is_bit_identical_to_the_reference():
    for text in TEXTS:
        fp = dedup.fingerprint(text)
        assert {k: fp[k] for k in ("content_hash", "signature", "bands")} == \
            old_fingerprint(text), text


def test_helpers_match_the_reference():
    for text in TEXTS:
        assert dedup.normalize_text(text) == old_normalize_text(text)
        assert dedup.shingles(text) == old_shingles(text)
        assert dedup.content_hash(text) == hashlib.sha256(
            old_normalize_text(text).encode("utf-8")).hexdigest()
    for text in TEXTS[:150]:
        sig = dedup.signature(dedup.shingles(text))
        assert sig.dtype == np.uint32 and sig.tobytes() == old_signature(old_shingles(text)).tobytes()
        assert dedup.band_keys(sig) == old_band_keys(sig)


def test_fingerprint_counts_the_normalised_words():
    for text in TEXTS:
        assert dedup.fingerprint(text)["words"] == len(old_normalize_text(text).split())


def _pinned_texts() -> list[str]:
    """The texts the digest is of: the pairs up to 088 (pairs added later do not move it)
    and the texts written in ``_texts`` (not the sample site's, which other work edits)."""
    texts = []
    for path in PAIRS:
        if int(path.name[:3]) <= 88:
            pair = tomllib.loads(path.read_text(encoding="utf-8"))
            texts += [pair["a"]["text"], pair["b"]["text"]]
    return texts + TEXTS[-414:]  # the 14 written texts and the 400 random ones


def test_the_fold_is_pinned():
    digest = hashlib.sha256()
    for text in _pinned_texts():
        digest.update(" ".join(folded_words(text)).encode("utf-8") + b"\0")
    assert digest.hexdigest() == FOLD_DIGEST, (
        "the spelling fold or the dateline rule changed: the archive's stored fingerprints "
        "no longer match new ones.  Add a migration that re-queues the back-fill (as "
        "m016_dedup_refold in archive/migrations.py) and record the new digest here: "
        + digest.hexdigest())


def test_the_fold_changes_spellings_and_numbers():
    words = dedup._words("Fourteen were killed in Idleb and Lattakia, and twenty-three in "
                         "Deir al-Zour")
    assert dedup.fold_spellings(words) == dedup._words(
        "14 were killed in Idlib and Latakia, and 23 in Deir ez-Zor")
    assert dedup.fold_spellings(dedup._words("قتل أربعة عشر شخصا")) == \
        dedup._words("قتل 14 شخصا")


def test_the_permutations_are_datasketchs_without_importing_it_at_run_time():
    a, b = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32").permutations
    ours_a, ours_b = dedup._PERMUTATIONS
    assert ours_a.dtype == a.dtype and ours_b.dtype == b.dtype
    assert (ours_a == a).all() and (ours_b == b).all()
    code = ("import sys, newsarchive.pipelines.page, newsarchive.crawler.spiders.news; "
            "print('datasketch' in sys.modules, 'scipy' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert found == ["False", "False"], "the crawl would pay for importing datasketch and scipy"
