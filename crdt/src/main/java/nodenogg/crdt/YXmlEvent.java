package nodenogg.crdt;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Event of an XML type (yjs YXmlEvent): whether the child list changed and which attributes
 * changed.
 */
public final class YXmlEvent extends YEvent {
  private final boolean childListChanged;
  private final Set<String> attributesChanged = new LinkedHashSet<>();

  YXmlEvent(AbstractType<?> target, Set<String> subs, Transaction transaction) {
    super(target, transaction);
    boolean list = false;
    for (String s : subs) {
      if (s == null) {
        list = true;
      } else {
        attributesChanged.add(s);
      }
    }
    this.childListChanged = list;
  }

  public boolean childListChanged() {
    return childListChanged;
  }

  public Set<String> attributesChanged() {
    return Collections.unmodifiableSet(attributesChanged);
  }
}
