/**
 * The Yjs update format on the pure-Java engine ({@link nodenogg.persistence.yjs.YjsFormat}), and
 * engine documents kept in an {@link nodenogg.persistence.UpdateStore} ({@link
 * nodenogg.persistence.yjs.YjsStorage}, {@link nodenogg.persistence.yjs.DocBinding}).
 */
package nodenogg.persistence.yjs;
