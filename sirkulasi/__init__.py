"""Members, loan rules, loans/returns/renewals, holds, fines, calendar, visitor log.

Scaffolding: a later issue fills this app (see DESIGN.md, Layout)."""
