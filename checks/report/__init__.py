"""Turn check results into what people read: terminal rubric, results.json, report.md, JUnit."""
