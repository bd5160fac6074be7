package nodenogg.crdt;

/**
 * XML hook (yjs types/YXmlHook.js, type ref 5): a {@link YMap} with a hook name, a placeholder for
 * custom content in an XML tree. Like Yjs it has no XML form: {@code toString()} is {@code "[object
 * Object]"}. Thread-safety: see {@link Doc}.
 */
public class YXmlHook extends YMap {
  private final String hookName;

  public YXmlHook(String hookName) {
    this.hookName = hookName;
  }

  public String hookName() {
    return hookName;
  }

  @Override
  AbstractType<?> copyEmpty() {
    return new YXmlHook(hookName);
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(5);
    encoder.writeKey(hookName);
  }

  /** A copy that is not part of any document. */
  public YXmlHook copy() {
    YXmlHook h = new YXmlHook(hookName);
    for (String k : keys()) {
      Object v = get(k);
      h.set(k, v instanceof YXmlFragment ? YXmlFragment.copyChild(v) : v);
    }
    return h;
  }

  @Override
  public String toString() {
    return "[object Object]";
  }
}
