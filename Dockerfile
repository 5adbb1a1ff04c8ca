# Production image: gunicorn serves the web app; the same image runs the Celery worker and beat.
FROM python:3.11-slim

# PYTHONPATH: the source tree in /app comes before the copy pip installs into site-packages,
# so that BASE_DIR (and templates/, static/) resolve to /app in gunicorn and Celery alike.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=mentorat.settings.production

RUN useradd --system --create-home --uid 10001 --user-group mentorat

WORKDIR /app
COPY . .
# constraints.txt pins every package, direct and transitive.
RUN pip install -c constraints.txt .

# Production settings refuse to load without SECRET_KEY and ALLOWED_HOSTS: give them throwaway
# values for this one step only; they are not kept in the image.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-collectstatic-only-xyz \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

USER mentorat
EXPOSE 8000
CMD ["gunicorn", "mentorat.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
