/**
 * The Microcosm API ({@link nodenogg.microcosm.EditableMicrocosmAPI}) on the pure-Java Yjs engine, in
 * the document layout the nodenogg.in web app reads and writes: {@link nodenogg.ymicrocosm.YMicrocosm}
 * (open with {@link nodenogg.ymicrocosm.MicrocosmOptions}), {@link nodenogg.ymicrocosm.InMemoryLink}
 * to connect two microcosms in one process, {@link nodenogg.ymicrocosm.InMemoryPersistence}. Transports
 * plug in through {@link nodenogg.ymicrocosm.spi.MicrocosmProvider}, storage through
 * {@link nodenogg.microcosm.spi.UpdatePersistence}.
 */
package nodenogg.ymicrocosm;
