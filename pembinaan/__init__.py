"""Library registry, guidance programmes, accreditation self-assessment, IPLM.

Scaffolding: a later issue fills this app (see DESIGN.md, Layout)."""
