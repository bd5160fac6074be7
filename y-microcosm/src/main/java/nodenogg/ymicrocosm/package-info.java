/**
 * The Microcosm API ({@link nodenogg.microcosm.EditableMicrocosmAPI}) on the pure-Java Yjs engine,
 * in the document layout the nodenogg.in web app reads and writes: {@link
 * nodenogg.ymicrocosm.YMicrocosm} (open with {@link nodenogg.ymicrocosm.MicrocosmOptions}), {@link
 * nodenogg.ymicrocosm.InMemoryLink} to connect two microcosms in one process. Transports plug in
 * through {@link nodenogg.ymicrocosm.spi.MicrocosmProvider}, storage through any {@link
 * nodenogg.persistence.UpdateStore} of Yjs updates (persistence-api: in memory; persistence-sqlite:
 * on disk).
 */
package nodenogg.ymicrocosm;
