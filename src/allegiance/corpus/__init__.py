"""The corpus stage: inputs of every kind, the ingest run and its coder, near-duplicates, the
store (schema, writes, reads) and the cluster path (partitions, shards)."""
