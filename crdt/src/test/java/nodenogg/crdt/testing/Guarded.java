package nodenogg.crdt.testing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.crdt.CrdtException;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.Updates;
import nodenogg.crdt.encoding.DecodingException;

/**
 * Applies a possibly bad update to a doc and checks the bad-input contract: the update either
 * applies, or throws a typed exception ({@link CrdtException}, or {@link DecodingException}) and
 * then the doc is exactly as before (state vector, encodeStateAsUpdate bytes) and no update event
 * or observer fired. Anything else (another exception, an Error such as StackOverflowError) is a
 * {@link Violation}.
 */
public final class Guarded {
  private Guarded() {}

  /** What happened to one input. */
  public enum Outcome {
    APPLIED,
    REJECTED
  }

  /** The contract was broken; carries the input's description. */
  public static final class Violation extends AssertionError {
    private static final long serialVersionUID = 1L;

    Violation(String m, Throwable cause) {
      super(m, cause);
    }
  }

  public static boolean typed(Throwable t) {
    return t instanceof CrdtException || t instanceof DecodingException;
  }

  public static Outcome apply(Doc doc, byte[] update) {
    return apply(doc, update, false);
  }

  /** As {@link #apply(Doc, byte[])}, the update in format v2 when {@code v2}. */
  public static Outcome apply(Doc doc, byte[] update, boolean v2) {
    return apply(doc, update, v2, Updates.encodeStateVector(doc), Updates.encodeStateAsUpdate(doc));
  }

  /**
   * As {@link #apply(Doc, byte[], boolean)} with the doc's state vector and state already known
   * (fuzz loops).
   */
  public static Outcome apply(Doc doc, byte[] update, boolean v2, byte[] sv, byte[] state) {
    AtomicInteger events = new AtomicInteger();
    Subscription s1 = doc.onUpdate((u, o, t) -> events.incrementAndGet());
    Subscription s2 = doc.getMap("map").observeDeep(e -> events.incrementAndGet());
    Subscription s3 = doc.getArray("array").observeDeep(e -> events.incrementAndGet());
    Subscription s4 = doc.getText("text").observeDeep(e -> events.incrementAndGet());
    try {
      if (v2) Updates.applyUpdateV2(doc, update);
      else Updates.applyUpdate(doc, update);
      return Outcome.APPLIED;
    } catch (Throwable t) {
      if (!typed(t)) throw new Violation("untyped " + t + " for input " + Bytes.toHex(update), t);
      if (!Arrays.equals(sv, Updates.encodeStateVector(doc)))
        throw new Violation("state vector changed by rejected input " + Bytes.toHex(update), t);
      if (!Arrays.equals(state, Updates.encodeStateAsUpdate(doc)))
        throw new Violation("doc changed by rejected input " + Bytes.toHex(update), t);
      if (events.get() != 0)
        throw new Violation(
            events.get() + " events fired for rejected input " + Bytes.toHex(update), t);
      return Outcome.REJECTED;
    } finally {
      s1.close();
      s2.close();
      s3.close();
      s4.close();
    }
  }
}
