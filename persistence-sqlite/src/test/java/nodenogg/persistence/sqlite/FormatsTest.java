package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.yjs.YjsFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents of several formats in one file: each records its format, and a name belongs to one
 * format.
 */
class FormatsTest {

  @TempDir Path dir;

  private static final byte[] TOY = {42, 42, 42};

  @Test
  void aSecondFormatSharesTheFileButNotTheDocuments() throws Exception {
    try (SqliteUpdateStore yjs = SqliteUpdateStore.openDirectory(dir)) {
      SqliteUpdateStore opaque = yjs.withFormat(UpdateFormat.opaque());
      assertEquals(YjsFormat.NAME, yjs.format().name());
      assertEquals("opaque", opaque.format().name());
      assertEquals(1L, yjs.append("text", TestUpdates.text(1, 0, "a")).get(10, TimeUnit.SECONDS));
      assertEquals(1L, opaque.append("toy", TOY).get(10, TimeUnit.SECONDS));
      assertEquals(List.of("text"), yjs.list());
      assertEquals(List.of("toy"), opaque.list());
      assertEquals(Map.of("text", YjsFormat.NAME, "toy", "opaque"), yjs.documentFormats());

      // a name belongs to one format: appends of the other format are refused, nothing is stored
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> yjs.append("toy", TestUpdates.text(2, 0, "b")).get(10, TimeUnit.SECONDS));
      InvalidUpdateException refused = assertInstanceOf(InvalidUpdateException.class, e.getCause());
      assertTrue(refused.getMessage().contains("stored as opaque updates"), refused.getMessage());
      e =
          assertThrows(
              ExecutionException.class, () -> opaque.append("text", TOY).get(10, TimeUnit.SECONDS));
      assertInstanceOf(InvalidUpdateException.class, e.getCause());
      StoreException wrongView = assertThrows(StoreException.class, () -> yjs.load("toy"));
      assertFalse(wrongView.isRejection());
      assertTrue(wrongView.getMessage().contains("opaque"), wrongView.getMessage());
      assertEquals(1, opaque.info("toy").orElseThrow().updateCount());
      assertEquals(1, yjs.info("text").orElseThrow().updateCount());

      // refused appends inside one batch do not disturb the others
      CompletableFuture<Long> first = yjs.append("mixed", TestUpdates.text(3, 0, "c"));
      CompletableFuture<Long> second = opaque.append("mixed", TOY);
      CompletableFuture<Long> third = yjs.append("mixed", TestUpdates.text(3, 1, "d"));
      assertEquals(1L, first.get(10, TimeUnit.SECONDS));
      assertInstanceOf(
          InvalidUpdateException.class,
          assertThrows(ExecutionException.class, second::get).getCause());
      assertEquals(2L, third.get(10, TimeUnit.SECONDS));

      opaque.close(); // closing a view does nothing
      assertEquals(2, opaque.load("toy").size() + yjs.load("text").size());
    }
    try (SqliteUpdateStore yjs = SqliteUpdateStore.openDirectory(dir)) {
      SqliteUpdateStore opaque = yjs.withFormat(UpdateFormat.opaque());
      assertArrayEquals(TOY, opaque.load("toy").get(0), "formats survive reopening");
      assertEquals(2L, opaque.append("toy", TOY).get(10, TimeUnit.SECONDS));
      assertEquals(
          2, opaque.compact("toy").orElseThrow().updateCount(), "an opaque log is never merged");
      assertTrue(yjs.check().ok());
      assertEquals(2, yjs.check().documentsChecked(), "a view checks the documents of its format");
      assertEquals(1, opaque.check().documentsChecked());
    }
  }

  @Test
  void twoDifferentFormatsCannotShareAName() {
    UpdateFormat impostor =
        new UpdateFormat() {
          @Override
          public String name() {
            return YjsFormat.NAME;
          }

          @Override
          public Coverage check(byte[] update) {
            return UpdateFormat.opaque().check(update);
          }

          @Override
          public Coverage emptyCoverage() {
            return UpdateFormat.opaque().emptyCoverage();
          }

          @Override
          public Coverage decodeCoverage(byte[] encoded) {
            return UpdateFormat.opaque().decodeCoverage(encoded);
          }

          @Override
          public Merged merge(List<byte[]> log) {
            throw new UnsupportedOperationException();
          }
        };
    try (SqliteUpdateStore yjs = SqliteUpdateStore.openDirectory(dir)) {
      assertThrows(IllegalArgumentException.class, () -> yjs.withFormat(impostor));
    }
  }
}
