"""Bibliographic records, items, OPAC, imports/exports, MARC, OAI-PMH/SRU, e-resources.

Scaffolding: a later issue fills this app (see DESIGN.md, Layout)."""
