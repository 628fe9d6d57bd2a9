"""Browser tests of the department pages and the office admin (Playwright, Chromium)."""
