"""Reports: the analysis rendered as JSON (report-v1), terminal tables, and more to come."""
