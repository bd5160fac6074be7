package nodenogg.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.AutomergeMicrocosm;
import nodenogg.microcosm.EditableMicrocosmAPI;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * {@code ./microcosm bench backends [--notes N] [--moves N] [--edits N] [--runs R] [--js DIR]}: the
 * same microcosm workload (N notes created, then moves of random notes, then text edits of random
 * notes' HTML, each edit one call) on the Yjs backend ({@code YMicrocosm}), the Automerge backend
 * ({@code AutomergeMicrocosm}) and JS automerge 3.5 writing the same layout ({@code
 * js/automerge/bench-workload.mjs}), two peers: peer A edits, peer B applies A's updates one by one
 * as they were made. Prints one JSON line per backend and run: local edit time (wall and CPU),
 * remote apply time, encoded size of the whole document, live memory (Java heap after GC; for
 * Automerge also the native memory, as the growth of the process's resident set), then the best of
 * the runs.
 */
final class BackendBench {
  private BackendBench() {}

  record Result(
      String backend,
      double localMs,
      double localCpuMs,
      double remoteMs,
      long bytes,
      long heapBytes,
      long nativeBytes) {
    String json() {
      return String.format(
          Locale.ROOT,
          "{\"backend\":\"%s\",\"localMs\":%.1f,\"localCpuMs\":%.1f,\"remoteMs\":%.1f,"
              + "\"encodedBytes\":%d,\"heapBytes\":%d,\"nativeBytes\":%d}",
          backend,
          localMs,
          localCpuMs,
          remoteMs,
          bytes,
          heapBytes,
          nativeBytes);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    int notes = 1000;
    int moves = 10_000;
    int edits = 1000;
    int runs = 3;
    Path js = Path.of("js");
    for (int i = 0; i < args.length; i += 2) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--notes" -> notes = Integer.parseInt(v);
        case "--moves" -> moves = Integer.parseInt(v);
        case "--edits" -> edits = Integer.parseInt(v);
        case "--runs" -> runs = Integer.parseInt(v);
        case "--js" -> js = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Result> yjs = new ArrayList<>();
    List<Result> am = new ArrayList<>();
    List<Result> jsAm = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      yjs.add(java("yjs", notes, moves, edits));
      out.println(yjs.get(r).json());
      am.add(java("automerge", notes, moves, edits));
      out.println(am.get(r).json());
      Result j = node(js, notes, moves, edits, err);
      if (j != null) {
        jsAm.add(j);
        out.println(j.json());
      }
      out.flush();
    }
    Result by = best(yjs);
    Result ba = best(am);
    out.println(
        "{\"best\":["
            + by.json()
            + ","
            + ba.json()
            + (jsAm.isEmpty() ? "" : "," + best(jsAm).json())
            + "]}");
    if (!jsAm.isEmpty()) {
      Result bj = best(jsAm);
      out.println(
          String.format(
              Locale.ROOT,
              "{\"ratios\":{\"automergeJava/automergeJs\":{\"local\":%.2f,\"remote\":%.2f,"
                  + "\"bytes\":%.2f},\"yjs/automergeJs\":{\"local\":%.2f,\"remote\":%.2f,\"bytes\":%.2f}}}",
              ba.localMs / bj.localMs,
              ba.remoteMs / bj.remoteMs,
              (double) ba.bytes / bj.bytes,
              by.localMs / bj.localMs,
              by.remoteMs / bj.remoteMs,
              (double) by.bytes / bj.bytes));
    }
    return 0;
  }

  private static Result best(List<Result> rs) {
    Result b = rs.get(0);
    for (Result r : rs) {
      if (r.localMs + r.remoteMs < b.localMs + b.remoteMs) {
        b = r;
      }
    }
    return b;
  }

  /** One run of the workload on a Java backend. */
  private static Result java(String backend, int notes, int moves, int edits) {
    gc();
    long heap0 = usedHeap();
    long committed0 = Runtime.getRuntime().totalMemory();
    long rss0 = rss();
    List<byte[]> updates = new ArrayList<>(notes + moves + edits);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    EditableMicrocosmAPI a;
    if (backend.equals("yjs")) {
      YMicrocosm y = YMicrocosm.inMemory("bench");
      y.doc().onUpdate((u, origin, tr) -> updates.add(u));
      a = y;
    } else {
      AutomergeMicrocosm m = AutomergeMicrocosm.inMemory("bench");
      m.document().onChange(c -> updates.add(c.bytes()));
      a = m;
    }
    try {
      a.identify("@benchbenchbench1");
      Random rnd = new Random(42);
      long t0 = System.nanoTime();
      long c0 = cpu.getCurrentThreadCpuTime();
      List<String> ids = new ArrayList<>(notes);
      for (int i = 0; i < notes; i++) {
        Entity e =
            a.create(HtmlData.note(rnd.nextInt(2000), rnd.nextInt(2000), "<p>note " + i + "</p>"));
        ids.add(e.id());
      }
      for (int i = 0; i < moves; i++) {
        a.update(
            EntityUpdate.move(ids.get(rnd.nextInt(notes)), rnd.nextInt(2000), rnd.nextInt(2000)));
      }
      for (int i = 0; i < edits; i++) {
        String id = ids.get(rnd.nextInt(notes));
        String html =
            a.getEntity(a.identityId().orElseThrow(), id)
                .orElseThrow()
                .dataAs(HtmlData.class)
                .content();
        int at = 3 + rnd.nextInt(Math.max(1, html.length() - 7));
        a.update(
            EntityUpdate.content(
                id, html.substring(0, at) + "edit " + i + " " + html.substring(at)));
      }
      double localMs = (System.nanoTime() - t0) / 1e6;
      double localCpuMs = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
      long bytes;
      if (a instanceof YMicrocosm y) {
        bytes = y.encodeStateAsUpdate().length;
      } else {
        bytes = ((AutomergeMicrocosm) a).save().length;
      }
      gc();
      long heap = usedHeap() - heap0;
      // native memory (Automerge's Rust heap): growth of the resident set beyond the growth of the
      // Java heap's pages
      long nat = Math.max(0, rss() - rss0 - (Runtime.getRuntime().totalMemory() - committed0));
      // remote: peer B applies every update as A made it
      long r0;
      double remoteMs;
      if (a instanceof YMicrocosm) {
        try (YMicrocosm b = YMicrocosm.inMemory("bench")) {
          r0 = System.nanoTime();
          for (byte[] u : updates) {
            b.applyUpdate(u);
          }
          remoteMs = (System.nanoTime() - r0) / 1e6;
          check(a, b);
        }
      } else {
        try (AutomergeMicrocosm b = AutomergeMicrocosm.inMemory("bench")) {
          r0 = System.nanoTime();
          for (byte[] u : updates) {
            b.applyChanges(u);
          }
          remoteMs = (System.nanoTime() - r0) / 1e6;
          check(a, b);
        }
      }
      return new Result(
          backend, localMs, localCpuMs, remoteMs, bytes, heap, backend.equals("yjs") ? 0 : nat);
    } finally {
      a.close();
    }
  }

  private static void check(EditableMicrocosmAPI a, nodenogg.microcosm.MicrocosmAPI b) {
    if (!a.entities().equals(b.entities())) {
      throw new IllegalStateException("peer B does not hold what peer A holds");
    }
  }

  /**
   * The same workload in JS automerge 3.5 ({@code bench-workload.mjs}); null (with a message)
   * without Node.
   */
  private static Result node(Path js, int notes, int moves, int edits, PrintStream err)
      throws IOException, InterruptedException {
    Path script = js.resolve("automerge").resolve("bench-workload.mjs").toAbsolutePath();
    if (!Files.isRegularFile(script)
        || !Files.isDirectory(js.resolve("automerge").resolve("node_modules"))) {
      err.println(
          "bench backends: "
              + script
              + " or its node_modules missing (bash js/install.sh); JS automerge skipped");
      return null;
    }
    Process p =
        new ProcessBuilder(
                "node",
                "--expose-gc",
                script.toString(),
                Integer.toString(notes),
                Integer.toString(moves),
                Integer.toString(edits))
            .directory(js.resolve("automerge").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      err.println("bench backends: the JS automerge run failed");
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode n =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    return new Result(
        "automerge-js-3.5",
        n.get("localMs").asDouble(),
        n.get("localMs").asDouble(),
        n.get("remoteMs").asDouble(),
        n.get("encodedBytes").asLong(),
        n.get("heapBytes").asLong(),
        n.get("nativeBytes").asLong());
  }

  private static void gc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Resident set size of this process (Linux), 0 elsewhere. */
  private static long rss() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return 0;
  }
}
