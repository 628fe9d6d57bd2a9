# syntax=docker/dockerfile:1
# Production image for Đôn Đốc (Django + gunicorn; the same image runs the Celery worker/beat).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=tracker.settings \
    DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

RUN groupadd --system --gid 10001 dondoc \
    && useradd --system --uid 10001 --gid dondoc --home-dir /app --no-create-home --shell /usr/sbin/nologin dondoc

# 1) Dependencies only (cached until pyproject.toml changes). The pinned list is read
#    from [project].dependencies so there is a single source of truth.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --upgrade pip \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# 2) The project itself (editable so templates/, static/ and manage.py stay next to the code).
COPY . .
RUN pip install --no-deps -e . \
    && mkdir -p /app/var/media /app/var/mail /app/var/log /app/var/celery \
    && DEBUG=0 SECRET_KEY=build-time-dummy-key-for-collectstatic-only-0123456789 ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && chown -R dondoc:dondoc /app/var

USER dondoc

EXPOSE 8000

CMD ["gunicorn", "tracker.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--timeout", "60", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
