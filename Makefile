# newsarchive: `make demo` to see it work, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test screenshots crawl serve bench bench-extraction bench-dedup bench-reprocess bench-writes clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/newsarchive demo

test: install
	$(BIN)/python -m pytest -q

# the README's screenshots (archive/datasette/screenshots/), taken by the browser test
screenshots: install
	NEWSARCHIVE_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/e2e/test_browser.py -k demo

crawl: install
	$(BIN)/newsarchive crawl --sources sources.toml --db archive/news.db

serve: install
	$(BIN)/newsarchive serve --db archive/news.db

bench: install
	$(BIN)/python bench/throughput.py

bench-extraction: install
	$(BIN)/python bench/extraction.py

bench-dedup: install
	$(BIN)/python bench/dedup.py

bench-reprocess: install
	$(BIN)/python bench/reprocess.py

bench-writes: install
	$(BIN)/python bench/writes.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
