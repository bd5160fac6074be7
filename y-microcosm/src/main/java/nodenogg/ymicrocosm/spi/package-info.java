/**
 * Transport SPI of the y-microcosm implementation. The storage SPI, which needs no CRDT types, is
 * {@link nodenogg.microcosm.spi.UpdatePersistence} in microcosm-api.
 */
package nodenogg.ymicrocosm.spi;
