# SPDX-License-Identifier: AGPL-3.0-or-later
# CKAN 2.12 + Smart City Atlas, served by gunicorn. Built from the repository
# root (see docker-compose.yml); the same image runs the web server, the
# harvest consumers, the jobs worker and the scheduler.
FROM python:3.11.13-slim-bookworm

# psycopg2 builds against libpq-dev; lxml and shapely come as wheels.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev libpq5 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /srv/app ckan

WORKDIR /srv/app
# The runtime only (no test tools, no bench packages): CKAN, gunicorn and the
# extension's dependencies at the versions the CI tests, in a layer of their
# own (a code change does not reinstall them).
COPY requirements.txt deploy/constraints.txt deploy/constraints-extension.txt /srv/app/pins/
RUN pip install --no-cache-dir -c pins/constraints.txt setuptools \
 && pip install --no-cache-dir -r pins/requirements.txt -r pins/constraints-extension.txt -c pins/constraints.txt

COPY . /srv/app/src
RUN pip install --no-cache-dir --no-build-isolation -c pins/constraints.txt "/srv/app/src[turbo]" \
 && mkdir -p /var/lib/ckan && chown ckan: /var/lib/ckan /srv/app

USER ckan
ENV CKAN_INI=/srv/app/ckan.ini
EXPOSE 5000
ENTRYPOINT ["/srv/app/src/deploy/docker/entrypoint.sh"]
CMD ["web"]
