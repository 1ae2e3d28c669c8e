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
COPY requirements.txt deploy/constraints.txt /srv/app/pins/
RUN pip install --no-cache-dir "setuptools==80.9.0" \
 && pip install --no-cache-dir -r pins/requirements.txt -c pins/constraints.txt

COPY . /srv/app/src
RUN pip install --no-cache-dir --no-deps /srv/app/src \
 && mkdir -p /var/lib/ckan && chown ckan: /var/lib/ckan /srv/app

USER ckan
ENV CKAN_INI=/srv/app/ckan.ini
EXPOSE 5000
ENTRYPOINT ["/srv/app/src/deploy/docker/entrypoint.sh"]
CMD ["web"]
