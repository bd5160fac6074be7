/**
 * Earthstar es.5 peer and server. {@code nodenogg.earthstar.internal} (and {@code .sync}) are not
 * exported.
 */
module nodenogg.earthstar {
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires java.sql;
  requires org.bouncycastle.provider;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports nodenogg.earthstar;
}
