package nodenogg.benchmarks;

import java.util.Locale;

/**
 * The measurements of one trace replay. Times are milliseconds of wall-clock time; sizes are bytes.
 * {@code docSizeV2} is null when the engine has no v2 encoder.
 *
 * @param opsMs local edits, one transaction per trace transaction, each emitting its v1 update
 * @param remoteApplyMs applying all those updates, one by one, to a fresh remote document
 * @param encodeMs encoding the final local document as one v1 update
 * @param parseMs loading that encoded document into a fresh document
 * @param heapBytes live heap held by the loaded document (after full GC)
 * @param opsCpuMs the same phases in process CPU time (all JVM threads), less disturbed by other
 *     load
 */
public record ReplayResult(
    String trace,
    int run,
    int txns,
    double opsMs,
    double remoteApplyMs,
    double encodeMs,
    double parseMs,
    int docSizeV1,
    Integer docSizeV2,
    long heapBytes,
    int finalLength,
    double opsCpuMs,
    double remoteApplyCpuMs,
    double encodeCpuMs,
    double parseCpuMs) {

  /** One JSON object on one line, the format printed by {@code ./microcosm bench trace}. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"engine\":\"nodenogg\",\"trace\":\"%s\",\"run\":%d,\"txns\":%d,\"opsMs\":%.2f,\"remoteApplyMs\":%.2f,"
            + "\"encodeMs\":%.2f,\"parseMs\":%.2f,\"docSizeV1\":%d,\"docSizeV2\":%s,\"heapBytes\":%d,"
            + "\"finalLength\":%d,\"opsCpuMs\":%.2f,\"remoteApplyCpuMs\":%.2f,\"encodeCpuMs\":%.2f,"
            + "\"parseCpuMs\":%.2f}",
        trace.replace("\\", "\\\\").replace("\"", "\\\""),
        run,
        txns,
        opsMs,
        remoteApplyMs,
        encodeMs,
        parseMs,
        docSizeV1,
        docSizeV2 == null ? "null" : docSizeV2.toString(),
        heapBytes,
        finalLength,
        opsCpuMs,
        remoteApplyCpuMs,
        encodeCpuMs,
        parseCpuMs);
  }
}
