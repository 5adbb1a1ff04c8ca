# Production image: gunicorn serves the web app; the same image runs the Celery worker and beat.

# Build stage: the source becomes a wheel (with templates/ and static/ inside the package).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

# Runtime stage: the installed package only, no source tree on the path; the application runs
# from /srv, which holds the collected static files (MENTORAT_DATA_DIR).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MENTORAT_DATA_DIR=/srv \
    DJANGO_SETTINGS_MODULE=mentorat.settings.production

RUN useradd --system --create-home --uid 10001 --user-group mentorat

# constraints.txt pins every package, direct and transitive.
COPY --from=build /src/constraints.txt /tmp/constraints.txt
COPY --from=build /wheels /tmp/wheels
RUN pip install -c /tmp/constraints.txt /tmp/wheels/*.whl && rm -rf /tmp/wheels /tmp/constraints.txt

WORKDIR /srv
# Production settings refuse to load without SECRET_KEY and ALLOWED_HOSTS: give them throwaway
# values for this one step only; they are not kept in the image.
RUN SECRET_KEY=collectstatic-only-not-a-real-secret-collectstatic-only-xyz \
    ALLOWED_HOSTS=localhost \
    mentorat collectstatic --noinput

USER mentorat
EXPOSE 8000
CMD ["gunicorn", "mentorat.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
