package nodenogg.ymicrocosm.spi;

import nodenogg.crdt.Doc;
import nodenogg.sync.protocol.Awareness;

/** What a {@link MicrocosmProvider} gets to work with. Thread-safe. */
public interface ProviderContext {

  /** The document name to sync: the microcosm id. */
  String documentName();

  /** The microcosm's document. */
  Doc doc();

  /** The microcosm's awareness (presence). */
  Awareness awareness();

  /** Reports whether a real connection is open now; drives {@code MicrocosmState.connected()}. */
  void connectionChanged(boolean connected);
}
