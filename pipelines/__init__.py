"""Item pipelines: one module per stage (extract, clean, tag, topic, dedup, store)."""
