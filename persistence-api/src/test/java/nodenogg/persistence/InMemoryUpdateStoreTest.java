package nodenogg.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryUpdateStoreTest extends UpdateStoreContract {

  @Override
  protected UpdateStore newStore() {
    return new InMemoryUpdateStore();
  }

  @Test
  void appendsAreCompleteWhenAppendReturns() {
    assertTrue(store.append("d", typing(1, 1).get(0)).isDone());
    assertTrue(store.flush().isDone());
  }

  @Test
  void theOpaqueFormatKeepsAnyBytesAndNeverMerges() throws Exception {
    try (UpdateStore opaque = new InMemoryUpdateStore(UpdateFormat.opaque())) {
      byte[] toy = {9, 9, 9};
      assertEquals(1L, opaque.append("toy", toy).get(10, TimeUnit.SECONDS));
      assertEquals(2L, opaque.append("toy", new byte[0]).get(10, TimeUnit.SECONDS));
      assertArrayEquals(toy, opaque.load("toy").get(0));
      assertArrayEquals(new byte[0], opaque.version("toy"));
      assertEquals(2, opaque.compact("toy").orElseThrow().updateCount(), "nothing to merge with");
      assertThrows(StoreException.class, () -> opaque.loadState("toy"));
      assertEquals(List.of("toy"), opaque.list());
    }
  }
}
