package nodenogg.benchmarks.jmh;

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

/** Encoding a whole document as a v1 update, and decoding (loading) it into a fresh document. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
  @Param({"20000"})
  public int edits;

  private Doc doc;
  private byte[] encoded;

  @Setup
  public void setup() {
    doc = SyntheticDocs.typingSession(edits, 42, null);
    encoded = Updates.encodeStateAsUpdate(doc);
  }

  @Benchmark
  public byte[] encodeV1() {
    return Updates.encodeStateAsUpdate(doc);
  }

  @Benchmark
  public Doc decodeV1() {
    Doc d = new Doc();
    Updates.applyUpdate(d, encoded);
    return d;
  }

  @Benchmark
  public byte[] encodeStateVector() {
    return Updates.encodeStateVector(doc);
  }
}
