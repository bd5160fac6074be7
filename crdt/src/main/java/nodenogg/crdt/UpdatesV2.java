package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Doc-level update format v2 (yjs encodeStateAsUpdateV2 / applyUpdateV2); the public entry points
 * are on {@link Updates}. Guarded by the Doc's lock.
 */
final class UpdatesV2 {
  private UpdatesV2() {}

  static UpdateCodec.DecodedUpdate decode(byte[] update) {
    UpdateDecoderV2 dec = new UpdateDecoderV2(new Lib0Decoder(update));
    UpdateCodec.DecodedUpdate u = UpdateCodec.readUpdate(dec);
    u.ds = DeleteSet.read(dec);
    return u;
  }

  static byte[] encodeStateAsUpdate(Doc doc, byte[] encodedTargetStateVector, boolean v2) {
    Map<Long, Long> sv = Updates.decodeStateVector(encodedTargetStateVector);
    return doc.read(
        () -> {
          UpdateEncoder enc = UpdateMerging.encoder(v2);
          StructStore store = doc.store;
          UpdateCodec.writeClientsStructs(enc, store, sv);
          DeleteSet.fromStructStore(store).write(enc);
          byte[] main = enc.toByteArray();
          if (store.pendingStructs == null && store.pendingDs == null) {
            return main;
          }
          List<byte[]> updates = new ArrayList<>();
          updates.add(main);
          if (store.pendingDs != null) {
            UpdateEncoder e = UpdateMerging.encoder(v2);
            e.rest().writeVarUint(0);
            store.pendingDs.write(e);
            updates.add(e.toByteArray());
          }
          if (store.pendingStructs != null) {
            // the engine keeps pending structs as a v2 update, like Yjs
            byte[] pending =
                v2
                    ? store.pendingStructs.update
                    : UpdateMerging.convert(store.pendingStructs.update, true, false);
            updates.add(UpdateMerging.diff(pending, encodedTargetStateVector, v2));
          }
          return UpdateMerging.merge(updates, v2);
        });
  }
}
