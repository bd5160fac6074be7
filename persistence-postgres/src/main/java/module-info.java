/**
 * The shared {@code UpdateStore} of a cluster, on PostgreSQL. {@code
 * nodenogg.persistence.postgres.internal} is not exported.
 */
module nodenogg.persistence.postgres {
  requires transitive nodenogg.persistence;
  requires java.sql;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports nodenogg.persistence.postgres;
}
