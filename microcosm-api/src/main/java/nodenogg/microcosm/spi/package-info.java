/** Service-provider interfaces that storage backends implement. */
package nodenogg.microcosm.spi;
