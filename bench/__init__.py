"""Benchmark scripts: they print figures side by side with a reference, never assert timings."""
