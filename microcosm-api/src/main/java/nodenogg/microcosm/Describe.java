package nodenogg.microcosm;

/** Short, bounded descriptions of untrusted values for error messages. */
final class Describe {
  private Describe() {}

  static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
      return "'" + shown + "'";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }
    if (v instanceof java.util.Map) {
      return "an object";
    }
    if (v instanceof java.util.List) {
      return "an array";
    }
    return "a " + v.getClass().getSimpleName();
  }
}
