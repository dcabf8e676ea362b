"""The dashboards' pages (thin routers; each page has its JSON twin)."""
