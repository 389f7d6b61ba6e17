"""Celery tasks of circulation: thin wrappers over services."""

from celery import shared_task

from sirkulasi import services


@shared_task(name="sirkulasi.kedaluwarsakan_reservasi")
def kedaluwarsakan_reservasi_task() -> int:
    """Daily: holds not picked up in time expire and their copies serve the next in line."""
    return services.kedaluwarsakan_reservasi()
