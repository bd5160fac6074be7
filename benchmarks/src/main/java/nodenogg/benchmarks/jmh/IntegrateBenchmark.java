package nodenogg.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Integration paths: local typing (one transaction per edit, the update event on) and applying the
 * same session's per-edit v1 updates to a remote document (decode + integrate + delete set).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IntegrateBenchmark {
  @Param({"5000"})
  public int edits;

  private List<byte[]> updates;

  @Setup
  public void setup() {
    updates = SyntheticDocs.typingUpdates(edits, 7);
  }

  @Benchmark
  public Doc localTyping() {
    return SyntheticDocs.typingSession(edits, 7, null);
  }

  @Benchmark
  public Doc remoteApply() {
    Doc d = new Doc();
    for (byte[] u : updates) {
      Updates.applyUpdate(d, u);
    }
    return d;
  }
}
