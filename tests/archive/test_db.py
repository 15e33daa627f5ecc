"""Opening the archive (archive/db.py)."""

from __future__ import annotations

import pytest

from newsarchive.archive.db import open_db, open_readonly


@pytest.mark.parametrize("name", ["q?.db", "news#1.db", "a%20b.db", "news[1].db"])
def test_read_only_opening_takes_the_file_name_literally(tmp_path, name):
    db = open_db(tmp_path / name)
    db["notes"].insert({"text": name})
    db.close()
    readonly = open_readonly(tmp_path / name)
    try:
        assert [r["text"] for r in readonly["notes"].rows] == [name]
    finally:
        readonly.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [name]
