package nodenogg.crdt.testing;

/** Test-size knob: {@code -Dnodenogg.fuzz.scale=10} runs ten times the CI counts (soak runs). */
public final class Scale {
  private Scale() {}

  public static double factor() {
    String s = System.getProperty("nodenogg.fuzz.scale");
    if (s == null || s.isBlank() || s.contains("${")) return 1.0;
    return Double.parseDouble(s);
  }

  /** {@code base} scaled, at least 1. */
  public static int of(int base) {
    return (int) Math.max(1, Math.round(base * factor()));
  }
}
