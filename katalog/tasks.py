"""Celery tasks of the catalogue: thin wrappers over services."""

from celery import shared_task

from katalog import services


@shared_task(name="katalog.bangun_ulang_tajuk")
def bangun_ulang_tajuk_task() -> dict[str, int]:
    """Nightly: recount headings and vocabulary, correcting any drift of the
    incremental counts kept by every save."""
    return services.bangun_ulang_tajuk()
