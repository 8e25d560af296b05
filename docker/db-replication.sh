#!/bin/sh
# Run once by the postgres image when it creates the database volume: let the read replicas
# (docker/compose.yaml, db-replica) connect for streaming replication, with the password.
set -e
echo "host replication geoportal all scram-sha-256" >> "$PGDATA/pg_hba.conf"
