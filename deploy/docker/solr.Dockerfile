# SPDX-License-Identifier: AGPL-3.0-or-later
# Solr 9 with JTS (for the spatial_geom field) and the same core
# configuration as the native stack (deploy/solr/home/configsets/ckan).
FROM maven:3.9.9-eclipse-temurin-17 AS jts
RUN mvn -q -B dependency:copy -Dartifact=org.locationtech.jts:jts-core:1.20.0 -DoutputDirectory=/jts

FROM solr:9.10.1
COPY --from=jts /jts/jts-core-1.20.0.jar /opt/solr/server/solr-webapp/webapp/WEB-INF/lib/
COPY deploy/solr/home/configsets/ckan /opt/solr/server/solr/configsets/ckan
CMD ["solr-precreate", "ckan", "/opt/solr/server/solr/configsets/ckan"]
