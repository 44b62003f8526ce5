"""Change-management briefs per business unit: HTML templates, SVG charts, safe PDF rendering."""
