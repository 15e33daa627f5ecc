"""The shortcuts the phrase families take on long lines give the answers of the long way
round: word-count limits without the words, every phrase family tried at once, suffixes
looked for only where they can be.  (The cleaned output of whole pages is held by
test_clean.py and the regression set.)"""

from __future__ import annotations

import random

from newsarchive.pipelines import phrases as cl


def _strings(n=3000, seed=5):
    rnd = random.Random(seed)
    alphabet = (list("ab Z9_ ,.-—’\n\t") + ["click to tweet", "Share this:", "Read more",
                                               "By ", "تعليقا", "إدلب", "ـ", "\u064e"]
                + [chr(c) for c in range(0x0610, 0x0700, 5)] + ["½", "ﬁ", "\u00a0"])
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


STRINGS = _strings()


def test_more_words_than_is_the_word_count():
    for text in STRINGS:
        count = len(cl.WORD.findall(text))
        for limit in (0, 1, 2, 5, 16, 30):
            assert cl._more_words_than(text, limit) == (count > limit), (text, limit)


def _family_one_by_one(line):
    text = cl._trimmed(line)
    if not text:
        return "empty"
    words = len(cl.WORD.findall(text))
    for name, (max_words, full, start, _suffix) in cl.families().items():
        if words <= max_words and (any(p.fullmatch(text) for p in full)
                                   or any(p.match(text) for p in start)):
            return name
    return None


def test_boilerplate_family_is_the_family_tried_one_by_one():
    lines = STRINGS + [
        "Share this:", "Read more: Aid reaches Idlib", "تابعونا على تويتر", "اقرأ أيضا",
        "Click here to subscribe to our newsletter", "Photo: AFP", "© 2024 Levant Wire",
        "Shelling hit the town of Sarmin on Tuesday morning, residents said.",
        " ".join(["word"] * 46), " ".join(["Share this"] * 30)]
    for line in lines:
        assert cl.boilerplate_family(line) == _family_one_by_one(line), line


def test_strip_suffixes_is_every_suffix_in_turn():
    lines = STRINGS + ["A quote worth sharing. Click To Tweet", "click to tweet  ",
                       "Click to tweet is not at the end here", "x\tclick to tweet\n"]
    for line in lines:
        expected = line
        for _max, _full, _start, suffix in cl.families().values():
            for pattern in suffix:
                expected = pattern.sub("", expected)
        assert cl.strip_suffixes(line) == expected, line
