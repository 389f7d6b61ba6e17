"""Run every benchmark against a scratch database and write docs/BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench_database_url() -> str:
    from dispusip import embedded
    from dispusip.env import database_from_url, database_to_url, env_bool, env_str

    url = env_str("DATABASE_URL")
    if not url:
        if not env_bool("DJANGO_DEBUG", False):
            raise SystemExit("Set DATABASE_URL (or DJANGO_DEBUG=true for the embedded server).")
        url = embedded.postgres_url(Path(env_str("VAR_DIR", str(ROOT / "var"))))
    settings_dict = database_from_url(url)
    base_name = settings_dict["NAME"]
    settings_dict["NAME"] = f"{base_name}_bench"
    import psycopg

    admin = dict(settings_dict, NAME="postgres")
    with psycopg.connect(database_to_url(admin), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (settings_dict["NAME"],)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    return database_to_url(settings_dict)


# How each benchmark's section in BENCHMARKS.md begins.
SECTION_HEADINGS = {
    "audit_log": "## Audit log",
    "opac": "## OPAC",
    "sirkulasi": "## Circulation",
    "impor": "## Imports",
    "impor_anggota": "## Member import",
    "impor_pinjaman": "## Loan history import",
}


def _sections(text: str) -> dict[str, str]:
    """The "## " sections of an earlier BENCHMARKS.md, by the benchmark that wrote them."""
    found = {}
    parts = text.split("\n## ")[1:]
    for part in parts:
        body = "## " + part.rstrip()
        for name, heading in SECTION_HEADINGS.items():
            if body.startswith(heading):
                found[name] = body
    return found


def main() -> int:
    os.environ["DATABASE_URL"] = _bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dispusip.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from bench import audit_log, impor, impor_anggota, impor_pinjaman, opac, sirkulasi

    semua = {
        "audit_log": audit_log,
        "opac": opac,
        "sirkulasi": sirkulasi,
        "impor": impor,
        "impor_anggota": impor_anggota,
        "impor_pinjaman": impor_pinjaman,
    }
    pilihan = sys.argv[1:] or list(semua)
    unknown = set(pilihan) - set(semua)
    if unknown:
        raise SystemExit(f"Unknown benchmark(s): {', '.join(sorted(unknown))}; have {list(semua)}")
    out = ROOT / "docs" / "BENCHMARKS.md"
    started = time.monotonic()
    baru = {nama: semua[nama].run() for nama in pilihan}
    # Sections of benchmarks not run this time are kept from the last full run (read
    # after the run, so edits made to the file meanwhile are kept too).
    lama = _sections(out.read_text()) if out.exists() else {}
    sections = [baru.get(nama) or lama.get(nama, "") for nama in semua]
    sections = [s for s in sections if s]
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (`python -m bench`); every figure below comes from one run on one "
        "machine, our way and the naive way side by side, so compare ratios rather than absolute "
        "times (the machine is shared and noisy).\n\n"
        f"- Last run: {time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.platform()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}\n"
        f"- Total time: {time.monotonic() - started:.0f} s for {', '.join(pilihan)}"
        + (
            " (the other sections are kept from the last run that included them)"
            if len(pilihan) < len(semua)
            else ""
        )
        + "\n\n"
    )
    out.write_text(header + "\n\n".join(sections) + "\n")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
