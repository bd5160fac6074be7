package nodenogg.crdt;

/**
 * What {@link Updates#obfuscateUpdate(byte[], ObfuscateOptions)} replaces besides text, values and
 * map keys (yjs ObfuscatorOptions): formatting attribute keys and values, sub-document guids and
 * options, and XML node / hook names. All default to {@code true} (replace). Immutable,
 * thread-safe; the {@code with...} methods return a changed copy.
 */
public final class ObfuscateOptions {
  /** Obfuscate everything Yjs can (all options true). */
  public static final ObfuscateOptions DEFAULTS = new ObfuscateOptions(true, true, true);

  private final boolean formatting;
  private final boolean subdocs;
  private final boolean yxml;

  private ObfuscateOptions(boolean formatting, boolean subdocs, boolean yxml) {
    this.formatting = formatting;
    this.subdocs = subdocs;
    this.yxml = yxml;
  }

  /** Whether formatting attribute keys and values of rich text are replaced. */
  public boolean formatting() {
    return formatting;
  }

  /** Whether sub-document guids are replaced and their options (gc, autoLoad, meta) dropped. */
  public boolean subdocs() {
    return subdocs;
  }

  /** Whether XML element node names and XML hook names are replaced. */
  public boolean yxml() {
    return yxml;
  }

  public ObfuscateOptions withFormatting(boolean v) {
    return new ObfuscateOptions(v, subdocs, yxml);
  }

  public ObfuscateOptions withSubdocs(boolean v) {
    return new ObfuscateOptions(formatting, v, yxml);
  }

  public ObfuscateOptions withYxml(boolean v) {
    return new ObfuscateOptions(formatting, subdocs, v);
  }

  @Override
  public String toString() {
    return "ObfuscateOptions{formatting="
        + formatting
        + ", subdocs="
        + subdocs
        + ", yxml="
        + yxml
        + "}";
  }
}
