package nodenogg.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.YMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * YMap.set: overwriting a few hot keys many times (the Microcosm node-position pattern), one
 * transaction each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MapSetBenchmark {
  @Param({"10000"})
  public int sets;

  @Param({"16"})
  public int keys;

  @Benchmark
  public Doc setHotKeys() {
    Doc doc = new Doc();
    YMap map = doc.getMap("map");
    for (int i = 0; i < sets; i++) {
      final int n = i;
      doc.transact(tr -> map.set("k" + (n % keys), n));
    }
    return doc;
  }
}
