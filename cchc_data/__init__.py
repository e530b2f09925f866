"""cchc-dashboard data package: build, store, queries, charts and text."""
