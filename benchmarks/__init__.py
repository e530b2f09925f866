"""Performance benchmarks (issue #8). Everything generated here is SYNTHETIC and never shipped as results."""
