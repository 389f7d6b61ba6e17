import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dispusip.settings")

app = Celery("dispusip")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if os.environ.get("DISPUSIP_PEKERJA_UJI"):
    from celery.signals import task_prerun

    @task_prerun.connect
    def _lupakan_content_type(**_kwargs) -> None:
        """The test suite's long-lived worker outlives every flush of the test
        database, which renumbers content types; forget the cached ids per task."""
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
