"""Publishers, legal deposit intake, receipts, compliance, reports.

Scaffolding: a later issue fills this app (see DESIGN.md, Layout)."""
