package nodenogg.microcosm;

/** Receives entity changes; see the implementation for the thread it runs on. */
@FunctionalInterface
public interface EntityListener {
  void onEvent(EntityEvent event);
}
