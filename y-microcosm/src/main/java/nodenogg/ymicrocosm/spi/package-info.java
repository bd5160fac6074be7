/**
 * Transport SPI of the y-microcosm implementation. Storage is not an SPI of its own: a microcosm
 * takes any {@link nodenogg.persistence.UpdateStore} (persistence-api).
 */
package nodenogg.ymicrocosm.spi;
