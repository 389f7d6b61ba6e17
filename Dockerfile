# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 dispusip

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dispusip dispusip
COPY katalog katalog
COPY sirkulasi sirkulasi
COPY serah_simpan serah_simpan
COPY pembinaan pembinaan
COPY kearsipan kearsipan
COPY literasi literasi
RUN pip install .
COPY . .

# Production settings refuse to load without their variables; these placeholders
# only let collectstatic run (it touches neither the database nor Redis).
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@build/build REDIS_URL=redis://build:6379/0 \
    python manage.py compilemessages --ignore=/usr/local \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@build/build REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput -v0

RUN mkdir -p /app/var/media && chown -R dispusip /app/var
USER dispusip
EXPOSE 8000
CMD ["gunicorn", "dispusip.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
