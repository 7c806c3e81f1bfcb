"""The grader's side of a worker: start it (forked by the zygote, or afresh), time it, read it,
kill it, and keep a pool of them."""
