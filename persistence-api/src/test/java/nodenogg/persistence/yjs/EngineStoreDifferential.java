package nodenogg.persistence.yjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.fuzz.MutationFuzzTest;
import nodenogg.crdt.testing.Bytes;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.UpdateStore;

/**
 * The engine-vs-store differential of issue 12 (finding 2): mutated Yjs v1 updates are offered to
 * the engine ({@code Updates.applyUpdate}) and to a store ({@code append}); both must accept or
 * both must refuse, every one. Mutants come from the crdt test-jar's mutation fuzzer (bit flips,
 * random bytes, inflated and bumped counts, deleted, inserted and duplicated runs), plus every
 * truncation of some corpus updates and corpus updates with 1-3 trailing bytes (which Yjs ignores).
 * Half the mutants go to a fresh Doc, half to a Doc holding content, so integration paths that
 * touch existing items run too. Shared by the in-memory (persistence-api) and SQLite
 * (persistence-sqlite) tests.
 */
public final class EngineStoreDifferential {

  /** What one run saw. */
  public static final class Report {
    public int mutants;
    public int bothAccepted;
    public int bothRefused;
    public int trailing;
    public final List<String> disagreements = new ArrayList<>();

    @Override
    public String toString() {
      return mutants
          + " mutants: "
          + bothAccepted
          + " accepted by both, "
          + bothRefused
          + " refused by both ("
          + trailing
          + " with trailing bytes), "
          + disagreements.size()
          + " disagreements"
          + (disagreements.isEmpty()
              ? ""
              : ", first: " + disagreements.subList(0, Math.min(5, disagreements.size())));
    }
  }

  private EngineStoreDifferential() {}

  /**
   * Offers {@code goal} mutants (seeded) to the engine and to {@code store}; documents are named
   * {@code diff-N}.
   */
  public static Report run(UpdateStore store, int goal, long seed) throws Exception {
    List<byte[]> corpus = MutationFuzzTest.corpus();
    byte[] base = corpus.get(corpus.size() - 1);
    List<byte[]> inputs = new ArrayList<>();
    Random r = new Random(seed);
    for (int k = 0; k < corpus.size(); k += 9) {
      byte[] u = corpus.get(k);
      for (int cut = 0; cut < u.length; cut++) {
        inputs.add(Arrays.copyOf(u, cut));
      }
    }
    for (byte[] u : corpus) {
      byte[] padded = Arrays.copyOf(u, u.length + 1 + r.nextInt(3));
      for (int i = u.length; i < padded.length; i++) {
        padded[i] = (byte) r.nextInt(256);
      }
      inputs.add(padded);
    }
    Report report = new Report();
    Doc target = target(base);
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    List<byte[]> pendingBytes = new ArrayList<>();
    List<Boolean> pendingEngine = new ArrayList<>();
    for (int i = 0; i < goal; i++) {
      byte[] m =
          i < inputs.size()
              ? inputs.get(i)
              : MutationFuzzTest.mutate(corpus.get(r.nextInt(corpus.size())), r);
      boolean engine;
      try {
        if (i % 2 == 0) {
          Updates.applyUpdate(new Doc(), m);
        } else {
          Updates.applyUpdate(target, m);
          target =
              target(base); // it changed (or may have): start the next one from the same content
        }
        engine = true;
      } catch (RuntimeException e) {
        engine = false;
      }
      if (engine && m.length > 0 && isTrailing(m, corpus)) {
        report.trailing++;
      }
      pending.add(store.append("diff-" + (i % 16), m));
      pendingBytes.add(m);
      pendingEngine.add(engine);
      if (pending.size() >= 4096 || i == goal - 1) {
        for (int j = 0; j < pending.size(); j++) {
          boolean stored = stored(pending.get(j));
          boolean eng = pendingEngine.get(j);
          if (stored != eng) {
            report.disagreements.add(
                (eng ? "engine applies, store refuses: " : "engine refuses, store keeps: ")
                    + Bytes.toHex(pendingBytes.get(j)));
          } else if (eng) {
            report.bothAccepted++;
          } else {
            report.bothRefused++;
          }
          report.mutants++;
        }
        pending.clear();
        pendingBytes.clear();
        pendingEngine.clear();
      }
    }
    store.flush().get(60, TimeUnit.SECONDS);
    return report;
  }

  /**
   * True if the store acknowledged it, false if it refused it as invalid; any other failure is a
   * test error.
   */
  private static boolean stored(CompletableFuture<Long> f) throws Exception {
    try {
      f.get(60, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof InvalidUpdateException) {
        return false;
      }
      throw new AssertionError(
          "the store failed instead of accepting or refusing: " + e.getCause(), e.getCause());
    }
  }

  private static boolean isTrailing(byte[] m, List<byte[]> corpus) {
    for (byte[] u : corpus) {
      if (m.length > u.length && Arrays.equals(u, Arrays.copyOf(m, u.length))) {
        return true;
      }
    }
    return false;
  }

  private static Doc target(byte[] base) {
    Doc d = new Doc(new Doc.Options().clientId(99).gc(false));
    Updates.applyUpdate(d, base);
    return d;
  }
}
