"""Text meant for developers that no page may show, named once for every page test.

The brief the first sessions worked from lies outside the repository; the
product must never cite it (the law it applies is in docs/law)."""

INTERNAL_BRIEF = "DOMAIN.md"
