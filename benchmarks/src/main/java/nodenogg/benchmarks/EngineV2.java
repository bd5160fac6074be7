package nodenogg.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;

/**
 * Access to the engine's v2 encoder when it exists ({@code Updates.encodeStateAsUpdateV2(Doc)}); the
 * engine grows v2 after v1, so the benchmarks look it up at run time and report null until then.
 */
final class EngineV2 {
  private static final MethodHandle ENCODE = find();

  private EngineV2() {}

  private static MethodHandle find() {
    try {
      return MethodHandles.publicLookup().findStatic(Updates.class, "encodeStateAsUpdateV2",
          MethodType.methodType(byte[].class, Doc.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  static boolean available() {
    return ENCODE != null;
  }

  /** The v2 encoding of {@code doc}, or null without a v2 encoder. */
  static byte[] encode(Doc doc) {
    if (ENCODE == null) {
      return null;
    }
    try {
      return (byte[]) ENCODE.invokeExact(doc);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
