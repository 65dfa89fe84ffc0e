"""Quality: the scorers of the gold sets (eval), whole coded articles, and the benchmark."""
