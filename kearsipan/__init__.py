"""Creating organisations, classification, retention (JRA), SKKAAD access, lifecycle.

Scaffolding: a later issue fills this app (see DESIGN.md, Layout)."""
