"""Patient education: condition pages and home-programme handouts, written in Markdown."""
