"""Reading-habit programmes, events, partners, TGM survey, members' creations.

Scaffolding: a later issue fills this app (see DESIGN.md, Layout)."""
